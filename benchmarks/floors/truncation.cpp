// Plain MPI, no baton: what an MPI does when a message is longer than the receive buffer, the
// one thing a receive without a probe relies on. Every rank receives, with MPI_ERRORS_RETURN,
// a message longer than its buffer: first from itself, then from the rank before it. The
// buffer is followed by guard bytes; the program reports the error class returned and how many
// guard bytes changed (0 is safe: the MPI reported the error and wrote nothing past the buffer).
//   mpiexec -n 2 truncation
// MPICH 4.0.2: MPI_ERR_TRUNCATE, 0 guard bytes changed. Open MPI 4.1.4: MPI_ERR_TRUNCATE after
// writing the whole message past the buffer (the guard overwritten; the heap corrupted beyond it,
// so the program stops after the first case that overwrote anything).
#include <mpi.h>

#include <cstddef>
#include <cstdio>
#include <vector>

namespace {

constexpr int capacity = 16384;
constexpr int guard = 65536;

/// Receives `length` bytes into a `capacity`-byte buffer followed by a guard; returns the
/// number of guard bytes that changed.
int guard_bytes_changed(int length, int source, int dest, int tag, int& error_class) {
    std::vector<char> sent(static_cast<std::size_t>(length), 7);
    // The receive buffer and its guard are one allocation, so writing past the buffer lands in
    // the guard rather than somewhere unknown (as long as the message fits in both).
    std::vector<char> received(static_cast<std::size_t>(capacity + guard), 1);
    MPI_Request request = MPI_REQUEST_NULL;
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Isend(sent.data(), length, MPI_BYTE, dest, tag, MPI_COMM_WORLD, &request);
    const int code = MPI_Recv(received.data(), capacity, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Error_class(code, &error_class);
    MPI_Wait(&request, MPI_STATUS_IGNORE);
    int changed = 0;
    for (int i = capacity; i < capacity + guard; ++i) changed += received[static_cast<std::size_t>(i)] != 1;
    return changed;
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int version_length = 0;
    MPI_Get_library_version(version, &version_length);
    for (int i = 0; i < version_length; ++i) {
        if (version[i] == '\n' || version[i] == '\t') version[i] = ' ';
    }
    if (rank == 0) {
        std::printf("%.60s\nreceive buffer %d bytes, guard %d bytes; MPI_ERR_TRUNCATE is class %d\n", version, capacity,
                    guard, MPI_ERR_TRUNCATE);
        std::printf("| sender | message bytes | error class | guard bytes changed |\n|---|---|---|---|\n");
    }
    const int next = (rank + 1) % size, previous = (rank + size - 1) % size;
    int tag = 0;
    for (const int length : {capacity + 1, 20000, 60000}) {
        for (const bool self : {true, false}) {
            int error_class = 0;
            const int changed = self ? guard_bytes_changed(length, rank, rank, tag, error_class)
                                     : guard_bytes_changed(length, previous, next, tag, error_class);
            ++tag;
            int worst = 0;
            MPI_Reduce(&changed, &worst, 1, MPI_INT, MPI_MAX, 0, MPI_COMM_WORLD);
            if (rank == 0) {
                std::printf("| %s | %d | %d | %d |\n", self ? "itself" : "another rank", length, error_class, worst);
                std::fflush(stdout);
            }
            int any = 0;
            MPI_Allreduce(&changed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
            if (any != 0) {
                if (rank == 0) std::printf("(stopped: memory past the buffer was overwritten)\n");
                MPI_Finalize();
                return 0;
            }
        }
    }
    MPI_Finalize();
    return 0;
}
