/**
 * A growable area of WebAssembly memory (the modules here manage theirs by hand: each area grows by doubling, through
 * the stub runtime's allocator, and is reused from block to block). `fit` keeps the first `keep` bytes when it moves.
 * Hot loops read an area's pointer into a local first: read from memory, it could change with any store, so each
 * access would load it again.
 */
@unmanaged
export class Area {
  ptr: usize = 0;
  bytes: i32 = 0;

  fit(bytes: i32, keep: i32 = 0): usize {
    if (bytes > this.bytes) {
      const next = max(bytes, this.bytes * 2);
      const ptr = heap.alloc(<usize>next);
      if (keep > 0) memory.copy(ptr, this.ptr, <usize>keep);
      if (this.ptr != 0) heap.free(this.ptr);
      this.ptr = ptr;
      this.bytes = next;
    }
    return this.ptr;
  }

  @inline i32(index: i32): i32 {
    return load<i32>(this.ptr + (<usize>index << 2));
  }

  @inline setI32(index: i32, value: i32): void {
    store<i32>(this.ptr + (<usize>index << 2), value);
  }
}
