package io.dpuvirt.virt.conf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An enumeration spelt in XML as its constants' names in lower case with {@code -} for {@code _}:
 * {@code HOST_PASSTHROUGH} is {@code host-passthrough}.
 */
public interface XmlEnum {
    String name();

    default String xmlValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E> & XmlEnum> Optional<E> fromXml(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) { // a loop: run for most attributes of a define, often interpreted
            if (constant.xmlValue().equals(value)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The accepted spellings for a message: {@code "a, b or c"}. */
    static <E extends Enum<E> & XmlEnum> String expected(Class<E> type) {
        List<String> values = Arrays.stream(type.getEnumConstants()).map(XmlEnum::xmlValue).toList();
        if (values.size() == 1) {
            return values.getFirst();
        }
        return String.join(", ", values.subList(0, values.size() - 1)) + " or " + values.getLast();
    }
}
