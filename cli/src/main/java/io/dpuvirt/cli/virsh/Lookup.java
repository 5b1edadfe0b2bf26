package io.dpuvirt.cli.virsh;

/** How virsh may read a domain argument: as an id, a UUID, a name (tried in this order). */
enum Lookup {
    BY_ID, BY_UUID, BY_NAME
}
