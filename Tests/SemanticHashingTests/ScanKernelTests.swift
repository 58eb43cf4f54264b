import BitSlicedScan
import BitSlicedScanAVX2
import BitSlicedScanAVX512
import XCTest
@testable import SemanticHashing

/// The scan kernels against popcount: block masks for every cut-off, then whole searches.
final class ScanKernelTests: XCTestCase {
    /// The kernels this processor runs (the portable one everywhere).
    let kernels = ScanKernel.allCases.filter(\.isSupported)

    /// One kernel entry: (planes, bits, query masks, threshold, blocks, counts, mask) → block.
    typealias FirstMatch<Lanes> = (UnsafePointer<Lanes>, Int, UnsafePointer<Lanes>, Int, Range<Int>,
                                   UnsafeMutablePointer<Lanes>, inout Lanes) -> Int

    /// For every block and cut-off T, the kernel's mask must be exactly [d(q, x) < T] over the
    /// block's codes, padding slots counting as the all-zero code, and the counts must give each
    /// passing code's distance; over a range of blocks it must stop at the first block whose
    /// expected mask is not empty.
    func checkMasks<Lanes: SIMD & Sendable>(_ name: String, database: BinaryCodes, queries: BinaryCodes, thresholds: [Int],
                                            _ firstMatch: FirstMatch<Lanes>) where Lanes.Scalar == UInt64 {
        let bits = database.bits
        var planes = BitPlanes<Lanes>(bits: bits)
        planes.append(database)
        let blockSize = BitPlanes<Lanes>.blockSize
        let zero = BinaryCodes(words: [UInt64](repeating: 0, count: database.wordsPerCode), count: 1, bits: bits)
        var masks = [Lanes](repeating: Lanes(repeating: 0), count: bits)
        var counts = [Lanes](repeating: Lanes(repeating: 0), count: BitSlicedKernel.countLevels(bits: bits))
        for q in 0..<queries.count {
            queries.words.withUnsafeBufferPointer { w in
                masks.withUnsafeMutableBufferPointer { BitSlicedKernel.queryMasks(w.baseAddress! + q * queries.wordsPerCode, bits: bits, into: $0.baseAddress!) }
            }
            let distances = (0..<planes.blockCount * blockSize).map { i in
                i < database.count ? queries.distance(q, to: database, i) : queries.distance(q, to: zero, 0)
            }
            for t in thresholds {
                var expected: [Lanes] = []
                for b in 0..<planes.blockCount {
                    var m = Lanes(repeating: 0)
                    for r in 0..<blockSize where distances[b * blockSize + r] < t { m[r / 64] |= 1 << UInt64(r % 64) }
                    expected.append(m)
                }
                planes.planes.withUnsafeBufferPointer { p in
                    masks.withUnsafeBufferPointer { qm in
                        counts.withUnsafeMutableBufferPointer { s in
                            for b in 0..<planes.blockCount {
                                var m = Lanes(repeating: 0)
                                let found = firstMatch(p.baseAddress!, bits, qm.baseAddress!, t, b..<(b + 1), s.baseAddress!, &m)
                                let empty = expected[b] == Lanes(repeating: 0)
                                XCTAssertEqual(found, empty ? b + 1 : b, "\(name) bits \(bits) query \(q) T \(t) block \(b)")
                                if empty { continue }
                                XCTAssertEqual(m, expected[b], "\(name) bits \(bits) query \(q) T \(t) block \(b)")
                                for r in 0..<blockSize where distances[b * blockSize + r] < t {
                                    XCTAssertEqual(BitSlicedKernel.distance(ofCode: r, counts: UnsafePointer(s.baseAddress!), bits: bits, threshold: t),
                                                   distances[b * blockSize + r], "\(name) bits \(bits) query \(q) T \(t) block \(b) code \(r)")
                                }
                            }
                            let first = expected.firstIndex { $0 != Lanes(repeating: 0) } ?? planes.blockCount
                            var m = Lanes(repeating: 0)
                            XCTAssertEqual(firstMatch(p.baseAddress!, bits, qm.baseAddress!, t, 0..<planes.blockCount, s.baseAddress!, &m),
                                           first, "\(name) bits \(bits) query \(q) T \(t): first block")
                        }
                    }
                }
            }
        }
    }

    /// The kernel entry for `bits` as the scan calls it: a constant length for 16, 32 and 64
    /// (and, with `general`, the any-length path for those too).
    func entry<Scanner: BlockScanner>(_: Scanner.Type, bits: Int, general: Bool) -> FirstMatch<Scanner.Lanes> {
        { p, n, q, t, blocks, s, m in
            func run<L: CodeLength>(_: L.Type) -> Int {
                Scanner.firstMatch(L.self, planes: p, bits: n, queryMasks: q, threshold: t, blocks: blocks, counts: s, mask: &m)
            }
            switch general ? 0 : bits {
            case 16: return run(Bits16.self)
            case 32: return run(Bits32.self)
            case 64: return run(Bits64.self)
            default: return run(AnyBits.self)
            }
        }
    }

    /// The eight-lane kernel built for the baseline processor, as the AVX-512 module is on other
    /// architectures.
    let baselineEightLanes: FirstMatch<SIMD8<UInt64>> = { p, n, q, t, blocks, s, m in
        BitSlicedKernel.firstMatch(AnyBits.self, planes: p, bits: n, queryMasks: q, threshold: t, blocks: blocks, counts: s, mask: &m)
    }

    /// The four-lane kernel built for the baseline processor, as the AVX2 module is on other
    /// architectures: same generic code, so it must give the same masks.
    let baselineFourLanes: FirstMatch<SIMD4<UInt64>> = { p, n, q, t, blocks, s, m in
        BitSlicedKernel.firstMatch(AnyBits.self, planes: p, bits: n, queryMasks: q, threshold: t, blocks: blocks, counts: s, mask: &m)
    }

    func testMasksEqualPopcountForEveryCutoff() {
        for bits in [1, 7, 8, 16, 24, 32, 33, 63, 64, 65, 127, 128, 200] {
            for clustered in [false, true] {
                // 600 codes: five two-lane blocks, three four-lane ones, two eight-lane ones, the last partly empty.
                let seed = UInt64(bits * 10 + (clustered ? 1 : 0))
                let database = clustered ? clusteredCodes(count: 600, bits: bits, seed: seed) : uniformCodes(count: 600, bits: bits, seed: seed)
                let queries = clustered ? clusteredCodes(count: 2, bits: bits, seed: seed + 1) : uniformCodes(count: 2, bits: bits, seed: seed + 1)
                let thresholds = bits <= 64 ? Array(1...bits) : Array(Set(stride(from: 1, through: bits, by: 9)).union([bits / 2 - 1, bits / 2, bits])).sorted()
                for general in [false, true] where !general || [16, 32, 64].contains(bits) {
                    checkMasks("portable\(general ? " general" : "")", database: database, queries: queries, thresholds: thresholds,
                               entry(PortableScanner.self, bits: bits, general: general))
                    if ScanKernel.avx2.isSupported {
                        checkMasks("avx2\(general ? " general" : "")", database: database, queries: queries, thresholds: thresholds,
                                   entry(AVX2Scanner.self, bits: bits, general: general))
                    }
                    if ScanKernel.avx512.isSupported {
                        checkMasks("avx512\(general ? " general" : "")", database: database, queries: queries, thresholds: thresholds,
                                   entry(AVX512Scanner.self, bits: bits, general: general))
                    }
                }
                checkMasks("four lanes, baseline", database: database, queries: queries, thresholds: thresholds, baselineFourLanes)
                checkMasks("eight lanes, baseline", database: database, queries: queries, thresholds: thresholds, baselineEightLanes)
            }
        }
    }

    /// Whole searches on both kernels, across chunk and batch boundaries, against brute force.
    func testKernelsGiveTheSameHitsAsBruteForce() {
        for bits in [16, 32, 64, 24, 33, 130] {
            for distribution in SyntheticCodes.Distribution.allCases {
                let (database, queries) = SyntheticCodes.generate(distribution, bits: bits, count: 3001, queries: 9, seed: UInt64(bits))
                let expected = BruteForceSearch.search(database, queries, k: 100)
                let expectedRange = BruteForceSearch.rangeSearch(database, queries, radius: bits / 4)
                for kernel in kernels {
                    var index = LinearScanIndex(codes: database, threads: 2, kernel: kernel)
                    XCTAssertEqual(index.kernel, kernel)
                    for (batch, chunk) in [(32, 256 << 10), (4, 2048), (1, 1)] {
                        index.queryBatchSize = batch
                        index.chunkBytes = chunk
                        XCTAssertEqual(index.search(queries, k: 100), expected, "\(kernel) bits \(bits) \(distribution) batch \(batch) chunk \(chunk)")
                        XCTAssertEqual(index.rangeSearch(queries, radius: bits / 4), expectedRange, "\(kernel) bits \(bits) \(distribution) range")
                    }
                }
            }
        }
    }

    func testAddingInPiecesOnEveryKernel() {
        let db = uniformCodes(count: 900, bits: 64, seed: 5)
        let queries = uniformCodes(count: 10, bits: 64, seed: 6)
        for kernel in kernels {
            var pieces = LinearScanIndex(bits: 64, threads: 1, kernel: kernel)
            for range in [0..<100, 100..<256, 256..<257, 257..<900] { pieces.add(db.gathering(range)) }
            XCTAssertEqual(pieces.search(queries, k: 30), BruteForceSearch.search(db, queries, k: 30), "\(kernel)")
        }
    }

    func testFastestKernelRunsHere() {
        XCTAssertTrue(ScanKernel.fastest.isSupported)
        XCTAssertTrue(ScanKernel.portable.isSupported)
    }

    func testCPUFlagsParsing() {
        let v3 = "sse sse2 pni ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt xsave avx f16c lahf_lm abm bmi1 avx2 bmi2"
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu vme \(v3) erms\nbugs\t\t: sysret_ss_attrs\n"
        XCTAssertTrue(ProcessorFeatures.hasAll(ProcessorFeatures.x86_64_v3Flags, cpuinfo: text))
        // A processor with AVX but without AVX2 (Sandy Bridge), and a text without a flags line.
        XCTAssertFalse(ProcessorFeatures.hasAll(ProcessorFeatures.x86_64_v3Flags, cpuinfo: text.replacingOccurrences(of: " avx2", with: "")))
        XCTAssertFalse(ProcessorFeatures.hasAll(ProcessorFeatures.x86_64_v3Flags, cpuinfo: "processor\t: 0\nFeatures\t: fp asimd\n"))
        // "avx" must match the whole word, not the prefix of "avx2" or "avx512f".
        XCTAssertFalse(ProcessorFeatures.hasAll(["avx"], cpuinfo: "flags\t: avx2 avx512f\n"))
        // x86-64-v4 needs all five AVX-512 subsets on top of v3: Skylake-X has them, a v3 machine
        // with only avx512f (none ships, but the rule must not guess) does not.
        let v4 = text.replacingOccurrences(of: " erms", with: " avx512f avx512dq avx512cd avx512bw avx512vl erms")
        XCTAssertTrue(ProcessorFeatures.hasAll(ProcessorFeatures.x86_64_v4Flags, cpuinfo: v4))
        XCTAssertFalse(ProcessorFeatures.hasAll(ProcessorFeatures.x86_64_v4Flags, cpuinfo: text))
        XCTAssertFalse(ProcessorFeatures.hasAll(ProcessorFeatures.x86_64_v4Flags, cpuinfo: v4.replacingOccurrences(of: " avx512vl", with: "")))
        XCTAssertFalse(ProcessorFeatures.hasAll(ProcessorFeatures.x86_64_v4Flags, cpuinfo: v4.replacingOccurrences(of: " avx2", with: "")))
    }

    /// The widest kernel the processor runs is the default.
    func testFastestIsTheWidestSupported() {
        guard ProcessInfo.processInfo.environment["SEMHASH_SCAN_KERNEL"] == nil else { return }
        XCTAssertEqual(ScanKernel.fastest, ScanKernel.avx512.isSupported ? .avx512 : (ScanKernel.avx2.isSupported ? .avx2 : .portable))
    }

    /// Both kernel families ask the processor the same question by name; a case renamed without
    /// the name table would read as unsupported.
    func testEveryKernelLevelNameIsKnownToTheProcessorCheck() {
        XCTAssertTrue(ProcessorFeatures.canRun(build: "portable"))
        XCTAssertEqual(ProcessorFeatures.canRun(build: "avx2"), ProcessorFeatures.supportsX86_64_v3)
        XCTAssertEqual(ProcessorFeatures.canRun(build: "avx512"), ProcessorFeatures.supportsX86_64_v4)
        XCTAssertFalse(ProcessorFeatures.canRun(build: "sse9"))
        XCTAssertEqual(ScanKernel.allCases.map(\.rawValue), VectorKernelLevel.allCases.map(\.rawValue))
        for level in VectorKernelLevel.allCases { XCTAssertEqual(level.isSupported, ProcessorFeatures.canRun(build: level.rawValue)) }
        XCTAssertEqual(ScanKernel.avx512.isSupported, ProcessorFeatures.supportsX86_64_v4)
        XCTAssertEqual(VectorKernelLevel.avx2.isSupported, ProcessorFeatures.supportsX86_64_v3)
    }
}
