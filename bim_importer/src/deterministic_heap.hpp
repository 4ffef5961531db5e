#pragma once
// Reproducible imports (docs/bim.md "Reproducible imports"). Carve (IFC++'s geometry kernel) keeps vertices, edges
// and faces in containers ordered or hashed by their ADDRESSES (std::map<face_t*, ...>, unordered maps of vertex
// pointers), and the order it visits them in decides how a boolean operation (an opening cut out of a wall) splits
// and joins faces - and, on a borderline case, whether the result passes IFC++'s validity check or is dropped. The
// addresses malloc hands out differ from run to run (address-space randomisation moves the heap; a second thread's
// allocations and the length of the command line's paths shift it), so the same file could give another geometry,
// another closed-mesh volume and another embodied-carbon total.
//
// While a DeterministicHeapScope is alive on a thread, that thread's operator new takes memory from a private heap
// at a FIXED virtual address with a simple, deterministic allocator (size classes, LIFO free lists, no coalescing, a spin lock):
// the same sequence of allocations gets the same addresses in every run, whatever else the process did before.
// The importer opens a scope around each parser (IFC++ reading and geometry, assimp). Memory from it may be freed
// from any thread and at any time (delete recognises its address range); other threads and code outside a scope
// use malloc as usual.
//
// If the fixed address range cannot be mapped (something else already sits there) the heap falls back to malloc
// for good and `deterministicHeapUsable()` says so (the importer then warns that the import may not be
// reproducible). Out of memory behaves as for the ordinary operator new (new-handler, then std::bad_alloc).

namespace gt::bim {

class DeterministicHeapScope {
 public:
  DeterministicHeapScope();
  ~DeterministicHeapScope();
  DeterministicHeapScope(const DeterministicHeapScope&) = delete;
  DeterministicHeapScope& operator=(const DeterministicHeapScope&) = delete;
};

// False once the fixed range could not be mapped (allocations went to malloc instead).
bool deterministicHeapUsable();

}  // namespace gt::bim
