package io.dpuvirt.fabric.rexec;

/** What a client asks for in its first frame: a program to start, or something about a detached program. */
sealed interface ClientRequest permits SpawnRequest, ProgramRequest {
}
