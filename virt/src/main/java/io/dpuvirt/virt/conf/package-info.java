/**
 * libvirt domain XML ⇄ immutable records, for {@code virtd}'s define, dumpxml and edit.
 * <ul>
 *   <li>{@link io.dpuvirt.virt.conf.DomainXmlParser} reads through {@link io.dpuvirt.virt.conf.SecureXmlReader}
 *       (no DOCTYPE, no entity reference, at most 1 MiB, at most 64 levels) into a
 *       {@link io.dpuvirt.virt.conf.DomainConfig}; errors read {@code domain.xml:14: element 'disk' attribute
 *       'type': unsupported value 'nfs' (expected file or block)}.</li>
 *   <li>Unknown XML is never dropped. Each record that stands for an element keeps, in its
 *       {@link io.dpuvirt.virt.conf.Extensions}, the unknown attributes, namespace declarations and child elements
 *       of that element and of the elements folded into it (keyed {@code "target"}, {@code "source/address"},
 *       {@code "vcpupin[2]"}). An unknown child remembers the known sibling it followed, and
 *       {@link io.dpuvirt.virt.conf.DomainXmlWriter} puts it back there, so {@code <metadata>} stays after
 *       {@code <description>} and {@code <seclabel>} after {@code </devices>}. Comments are dropped, as libvirt
 *       drops them.</li>
 *   <li>{@link io.dpuvirt.virt.conf.DomainDefaults} fills what libvirt fills at define time;
 *       {@link io.dpuvirt.virt.conf.DomainValidator} checks the rules that hold for every driver, then a
 *       {@link io.dpuvirt.virt.conf.DriverLimits} such as {@link io.dpuvirt.virt.conf.StratovirtLimits}.
 *       That names and UUIDs are unique across domains is the daemon's check, not this package's.</li>
 *   <li>{@link io.dpuvirt.virt.conf.SchemaValidator} adds libvirt's RelaxNG schema when it and Jing are there.</li>
 * </ul>
 */
package io.dpuvirt.virt.conf;
