package io.dpuvirt.virt.conf;

import java.util.List;

/** The outcome of checking a document against libvirt's RelaxNG schema. */
public sealed interface SchemaCheck {
    record Valid() implements SchemaCheck {
    }

    /** Each error as {@code source:line:column: message}. */
    record Invalid(List<String> errors) implements SchemaCheck {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }

    /** The check could not run (schemas or Jing missing); {@code reason} says why, for the user. */
    record Skipped(String reason) implements SchemaCheck {
    }
}
