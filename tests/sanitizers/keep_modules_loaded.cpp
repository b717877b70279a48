// Preloaded in the sanitize preset's test runs only: makes dlclose a no-op, so that the MPI
// library's plugins (MPICH's UCX transports) stay mapped until exit and LeakSanitizer can name
// the module of an allocation they never free; lsan.supp then matches it by library name.
extern "C" int dlclose(void* handle) {
    (void)handle;
    return 0;
}
