package io.dpuvirt.fabric.rexec;

/** What a client asks for in its first frame: a program to start, something about a detached program, or a file. */
sealed interface ClientRequest permits SpawnRequest, ProgramRequest, FileRequest {
}
