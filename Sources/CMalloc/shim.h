// glibc's allocator settings (mallopt); macOS has no <malloc.h>, and nothing is used there.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
