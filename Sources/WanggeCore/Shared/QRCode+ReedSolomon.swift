// Error correction: the block structure of each version and level, Reed–Solomon over GF(256),
// and the interleaving of the blocks into the final codeword sequence.

extension QRCode {

    /// How the codewords of one version at one level are cut into blocks: every block of a group has the
    /// same number of data codewords, and every block of the symbol the same number of EC codewords.
    struct BlockLayout: Sendable, Hashable {
        var ecCodewordsPerBlock: Int
        /// (number of blocks, data codewords per block), one or two groups.
        var groups: [(blocks: Int, dataCodewords: Int)]

        var blockCount: Int { groups.reduce(0) { $0 + $1.blocks } }
        var dataCodewords: Int { groups.reduce(0) { $0 + $1.blocks * $1.dataCodewords } }
        var totalCodewords: Int { dataCodewords + blockCount * ecCodewordsPerBlock }

        static func == (lhs: BlockLayout, rhs: BlockLayout) -> Bool {
            lhs.ecCodewordsPerBlock == rhs.ecCodewordsPerBlock
                && lhs.groups.map(\.blocks) == rhs.groups.map(\.blocks)
                && lhs.groups.map(\.dataCodewords) == rhs.groups.map(\.dataCodewords)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(ecCodewordsPerBlock)
            for group in groups {
                hasher.combine(group.blocks)
                hasher.combine(group.dataCodewords)
            }
        }
    }

    /// The error-correction characteristics of ISO/IEC 18004 (table 9) for versions 1–20, one row per
    /// version with the levels L, M, Q, H in turn, each as
    /// [EC codewords per block, blocks in group 1, data codewords per block of group 1,
    ///  blocks in group 2, data codewords per block of group 2].
    /// Group 2 blocks hold one data codeword more than group 1 blocks.
    static let blockTable: [[[Int]]] = [
        [[7, 1, 19, 0, 0], [10, 1, 16, 0, 0], [13, 1, 13, 0, 0], [17, 1, 9, 0, 0]],  // 1
        [[10, 1, 34, 0, 0], [16, 1, 28, 0, 0], [22, 1, 22, 0, 0], [28, 1, 16, 0, 0]],  // 2
        [[15, 1, 55, 0, 0], [26, 1, 44, 0, 0], [18, 2, 17, 0, 0], [22, 2, 13, 0, 0]],  // 3
        [[20, 1, 80, 0, 0], [18, 2, 32, 0, 0], [26, 2, 24, 0, 0], [16, 4, 9, 0, 0]],  // 4
        [[26, 1, 108, 0, 0], [24, 2, 43, 0, 0], [18, 2, 15, 2, 16], [22, 2, 11, 2, 12]],  // 5
        [[18, 2, 68, 0, 0], [16, 4, 27, 0, 0], [24, 4, 19, 0, 0], [28, 4, 15, 0, 0]],  // 6
        [[20, 2, 78, 0, 0], [18, 4, 31, 0, 0], [18, 2, 14, 4, 15], [26, 4, 13, 1, 14]],  // 7
        [[24, 2, 97, 0, 0], [22, 2, 38, 2, 39], [22, 4, 18, 2, 19], [26, 4, 14, 2, 15]],  // 8
        [[30, 2, 116, 0, 0], [22, 3, 36, 2, 37], [20, 4, 16, 4, 17], [24, 4, 12, 4, 13]],  // 9
        [[18, 2, 68, 2, 69], [26, 4, 43, 1, 44], [24, 6, 19, 2, 20], [28, 6, 15, 2, 16]],  // 10
        [[20, 4, 81, 0, 0], [30, 1, 50, 4, 51], [28, 4, 22, 4, 23], [24, 3, 12, 8, 13]],  // 11
        [[24, 2, 92, 2, 93], [22, 6, 36, 2, 37], [26, 4, 20, 6, 21], [28, 7, 14, 4, 15]],  // 12
        [[26, 4, 107, 0, 0], [22, 8, 37, 1, 38], [24, 8, 20, 4, 21], [22, 12, 11, 4, 12]],  // 13
        [[30, 3, 115, 1, 116], [24, 4, 40, 5, 41], [20, 11, 16, 5, 17], [24, 11, 12, 5, 13]],  // 14
        [[22, 5, 87, 1, 88], [24, 5, 41, 5, 42], [30, 5, 24, 7, 25], [24, 11, 12, 7, 13]],  // 15
        [[24, 5, 98, 1, 99], [28, 7, 45, 3, 46], [24, 15, 19, 2, 20], [30, 3, 15, 13, 16]],  // 16
        [[28, 1, 107, 5, 108], [28, 10, 46, 1, 47], [28, 1, 22, 15, 23], [28, 2, 14, 17, 15]],  // 17
        [[30, 5, 120, 1, 121], [26, 9, 43, 4, 44], [28, 17, 22, 1, 23], [28, 2, 14, 19, 15]],  // 18
        [[28, 3, 113, 4, 114], [26, 3, 44, 11, 45], [26, 17, 21, 4, 22], [26, 9, 13, 16, 14]],  // 19
        [[28, 3, 107, 5, 108], [26, 3, 41, 13, 42], [30, 15, 24, 5, 25], [28, 15, 15, 10, 16]],  // 20
    ]

    static func blockLayout(version: Int, correction: Correction) -> BlockLayout {
        let row = blockTable[version - 1][correction.tableIndex]
        var groups = [(blocks: row[1], dataCodewords: row[2])]
        if row[3] > 0 { groups.append((blocks: row[3], dataCodewords: row[4])) }
        return BlockLayout(ecCodewordsPerBlock: row[0], groups: groups)
    }

    /// Data codewords the version holds at the level.
    static func dataCodewordCount(version: Int, correction: Correction) -> Int {
        blockLayout(version: version, correction: correction).dataCodewords
    }

    /// Cuts the data codewords into blocks, appends each block's EC codewords, and interleaves: the first
    /// data codeword of every block, then the second, … (the shorter blocks drop out at their end), then the
    /// EC codewords likewise.
    static func interleavedCodewords(data: [UInt8], version: Int, correction: Correction) -> [UInt8] {
        let layout = blockLayout(version: version, correction: correction)
        precondition(data.count == layout.dataCodewords, "data codewords do not fill the symbol")
        let generator = ReedSolomon.generator(degree: layout.ecCodewordsPerBlock)
        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var start = 0
        for group in layout.groups {
            for _ in 0..<group.blocks {
                let block = Array(data[start..<start + group.dataCodewords])
                start += group.dataCodewords
                dataBlocks.append(block)
                ecBlocks.append(ReedSolomon.remainder(of: block, generator: generator))
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(layout.totalCodewords)
        let longest = dataBlocks.map(\.count).max() ?? 0
        for index in 0..<longest {
            for block in dataBlocks where index < block.count { result.append(block[index]) }
        }
        for index in 0..<layout.ecCodewordsPerBlock {
            for block in ecBlocks { result.append(block[index]) }
        }
        return result
    }

    /// Arithmetic in GF(2⁸) modulo the QR polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), where α = 2 generates
    /// the multiplicative group, and the Reed–Solomon codes built on it.
    enum ReedSolomon {
        /// αⁱ for i in 0..<255.
        static let powers: [UInt8] = {
            var table = [UInt8](repeating: 0, count: 255)
            var value = 1
            for exponent in 0..<255 {
                table[exponent] = UInt8(value)
                value <<= 1
                if value & 0x100 != 0 { value ^= 0x11D }
            }
            return table
        }()

        /// log_α(v) for v in 1...255 (index 0 unused).
        static let logarithms: [Int] = {
            var table = [Int](repeating: 0, count: 256)
            for (exponent, value) in powers.enumerated() { table[Int(value)] = exponent }
            return table
        }()

        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            guard a != 0, b != 0 else { return 0 }
            return powers[(logarithms[Int(a)] + logarithms[Int(b)]) % 255]
        }

        /// (x − α⁰)(x − α¹)…(x − α^(degree−1)), coefficients from the highest power down; the leading one is 1.
        static func generator(degree: Int) -> [UInt8] {
            var polynomial: [UInt8] = [1]
            for root in 0..<degree {
                // Multiply by (x + αʳᵒᵒᵗ): subtraction and addition are both XOR here.
                var product = [UInt8](repeating: 0, count: polynomial.count + 1)
                for (index, coefficient) in polynomial.enumerated() {
                    product[index] ^= coefficient
                    product[index + 1] ^= multiply(coefficient, powers[root])
                }
                polynomial = product
            }
            return polynomial
        }

        /// The EC codewords of a block: data(x) · x^n mod generator(x), n = degree of the generator.
        static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
            let degree = generator.count - 1
            var remainder = [UInt8](repeating: 0, count: degree)
            for codeword in data {
                let factor = codeword ^ remainder[0]
                remainder.removeFirst()
                remainder.append(0)
                for index in 0..<degree {
                    remainder[index] ^= multiply(generator[index + 1], factor)
                }
            }
            return remainder
        }
    }
}
