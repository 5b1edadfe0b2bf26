package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;

import java.io.IOException;

/** One thing a side needs for an offload profile: {@code up} makes it so, {@code check} says whether it is so. */
interface Requirement {
    /** Makes it so if it is not, recording in {@code journal} what it changes before changing it. */
    Outcome apply(Journal journal) throws IOException, ConfigException, OffloadException;

    /** Whether it is so, in one sentence; changes nothing, and a problem found is a finding, not an exception. */
    Finding check();
}
