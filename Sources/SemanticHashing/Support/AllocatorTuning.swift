#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc from handing each multi-megabyte temporary back to the kernel.
///
/// A training step allocates a few n × D matrices (4 MB at D = 10 000). Above glibc's mmap
/// threshold each one is a fresh mmap, so every step pays page faults and page clearing for them;
/// raising the thresholds keeps those blocks in the heap for reuse. (`mallopt` is looked up at run
/// time because the Glibc module does not export it.)
public enum AllocatorTuning {
    public static func keepLargeBlocksInHeap() {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 256 << 20)
        _ = mallopt(trimThreshold, 512 << 20)
        #endif
    }
}
