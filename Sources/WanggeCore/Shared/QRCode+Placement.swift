// The symbol's layout: function patterns, the zigzag placement of the codewords, the eight data masks
// with the penalty rules that choose among them, and the format and version information.

extension QRCode {
    /// A symbol under construction: module colours plus which modules belong to function patterns.
    struct Matrix: Sendable, Hashable {
        let version: Int
        let size: Int
        /// Row-major, `true` for dark.
        var dark: [Bool]
        /// Row-major, `true` for modules of function patterns (finders, separators, timing, alignment,
        /// format and version areas), which data and masks leave alone.
        var function: [Bool]

        /// Centres of the alignment patterns on each axis, versions 1–20 (ISO/IEC 18004 annex E). Every pair of
        /// them is a centre, save the three that would land on a finder pattern.
        static let alignmentCenters: [[Int]] = [
            [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
            [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74],
            [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90],
        ]

        /// The function patterns of a version, with the format and version areas reserved (left light for now).
        init(version: Int) {
            self.version = version
            size = 17 + 4 * version
            dark = [Bool](repeating: false, count: size * size)
            function = [Bool](repeating: false, count: size * size)

            // Timing patterns: row 6 and column 6 alternate, dark on even indices. The finders drawn next
            // overwrite their ends.
            for index in 0..<size {
                setFunction(x: index, y: 6, dark: index % 2 == 0)
                setFunction(x: 6, y: index, dark: index % 2 == 0)
            }
            // Finder patterns with their light separators: rings at Chebyshev distance 0–1 and 3 dark,
            // 2 and 4 light.
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(cx + dx) && (0..<size).contains(cy + dy) {
                        let ring = max(abs(dx), abs(dy))
                        setFunction(x: cx + dx, y: cy + dy, dark: ring != 2 && ring != 4)
                    }
                }
            }
            // Alignment patterns: 5×5, dark centre and border, light ring between.
            let centers = Self.alignmentCenters[version - 1]
            for cy in centers {
                for cx in centers {
                    let first = centers.first, last = centers.last
                    if (cx == first && cy == first) || (cx == first && cy == last) || (cx == last && cy == first) {
                        continue
                    }
                    for dy in -2...2 {
                        for dx in -2...2 {
                            setFunction(x: cx + dx, y: cy + dy, dark: max(abs(dx), abs(dy)) != 1)
                        }
                    }
                }
            }
            // Format areas beside the finders (the timing modules at index 6 stay), and the dark module above
            // the bottom-left finder.
            for index in 0...8 where index != 6 {
                setFunction(x: 8, y: index, dark: false)
                setFunction(x: index, y: 8, dark: false)
            }
            for index in 0..<8 {
                setFunction(x: size - 1 - index, y: 8, dark: false)
                setFunction(x: 8, y: size - 1 - index, dark: false)
            }
            setFunction(x: 8, y: size - 8, dark: true)
            // Version areas, 6×3 above the bottom-left finder and 3×6 left of the top-right one.
            if version >= 7 {
                for index in 0..<18 {
                    setFunction(x: index / 3, y: size - 11 + index % 3, dark: false)
                    setFunction(x: size - 11 + index % 3, y: index / 3, dark: false)
                }
            }
        }

        subscript(x: Int, y: Int) -> Bool {
            dark[y * size + x]
        }

        func isFunction(x: Int, y: Int) -> Bool {
            function[y * size + x]
        }

        mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
            dark[y * size + x] = isDark
            function[y * size + x] = true
        }

        /// Modules left for data and EC codewords (and the 0–7 remainder bits).
        var dataModuleCount: Int {
            function.reduce(0) { $0 + ($1 ? 0 : 1) }
        }

        // MARK: Codeword placement

        /// Places the codewords, most significant bit first, in two-module-wide columns from the right edge,
        /// going up and down in turn, skipping function modules and the vertical timing column. Modules left
        /// over after the last codeword are remainder bits, light before masking.
        mutating func place(_ codewords: [UInt8]) {
            let bitCount = codewords.count * 8
            var bitIndex = 0
            var right = size - 1
            var upward = true
            while right > 0 {
                if right == 6 { right = 5 }
                for step in 0..<size {
                    let y = upward ? size - 1 - step : step
                    for x in [right, right - 1] where !isFunction(x: x, y: y) {
                        if bitIndex < bitCount {
                            dark[y * size + x] = (codewords[bitIndex / 8] >> (7 - bitIndex % 8)) & 1 == 1
                        }
                        bitIndex += 1
                    }
                }
                upward.toggle()
                right -= 2
            }
        }

        // MARK: Masks

        /// Whether data mask `mask` inverts the module in row `i`, column `j` (the standard's notation).
        static func maskInverts(_ mask: Int, i: Int, j: Int) -> Bool {
            switch mask {
            case 0: (i + j) % 2 == 0
            case 1: i % 2 == 0
            case 2: j % 3 == 0
            case 3: (i + j) % 3 == 0
            case 4: (i / 2 + j / 3) % 2 == 0
            case 5: (i * j) % 2 + (i * j) % 3 == 0
            case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
            case 7: ((i + j) % 2 + (i * j) % 3) % 2 == 0
            default: preconditionFailure("mask \(mask) is not one of 0–7")
            }
        }

        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction(x: x, y: y) && Self.maskInverts(mask, i: y, j: x) {
                    dark[y * size + x].toggle()
                }
            }
        }

        /// The penalty of the symbol as it stands (ISO/IEC 18004 7.8.3): the lower, the easier to read.
        /// 1. each run of five or more same-coloured modules in a row or column: 3 + (length − 5);
        /// 2. each 2×2 block of one colour (blocks may overlap): 3;
        /// 3. each 1:1:3:1:1 dark–light–dark–light–dark pattern with four light modules on one side,
        ///    in a row or column: 40;
        /// 4. 10 for each full 5 % by which the share of dark modules strays from 50 %.
        func penalty() -> Int {
            var score = 0
            var line = [Bool](repeating: false, count: size)
            for y in 0..<size {
                for x in 0..<size { line[x] = self[x, y] }
                score += Self.linePenalty(line)
            }
            for x in 0..<size {
                for y in 0..<size { line[y] = self[x, y] }
                score += Self.linePenalty(line)
            }
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let colour = self[x, y]
                    if self[x + 1, y] == colour && self[x, y + 1] == colour && self[x + 1, y + 1] == colour {
                        score += 3
                    }
                }
            }
            let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
            let total = size * size
            // |dark/total − 1/2| in whole steps of 5 %, in integers: |100·dark − 50·total| / (5·total).
            score += abs(100 * darkCount - 50 * total) / (5 * total) * 10
            return score
        }

        /// Rules 1 and 3 along one row or column.
        static func linePenalty(_ line: [Bool]) -> Int {
            var score = 0
            var run = 1
            for index in 1..<line.count {
                if line[index] == line[index - 1] {
                    run += 1
                } else {
                    if run >= 5 { score += run - 2 }
                    run = 1
                }
            }
            if run >= 5 { score += run - 2 }
            if line.count >= finderLike.count {
                for start in 0...(line.count - finderLike.count) {
                    if matches(line, at: start, finderLike) { score += 40 }
                    if matches(line, at: start, finderLikeReversed) { score += 40 }
                }
            }
            return score
        }

        /// 1011101 followed by 0000, and the same read backwards.
        static let finderLike: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
        static let finderLikeReversed: [Bool] = finderLike.reversed()

        static func matches(_ line: [Bool], at start: Int, _ pattern: [Bool]) -> Bool {
            for (offset, colour) in pattern.enumerated() where line[start + offset] != colour { return false }
            return true
        }

        // MARK: Format and version information

        /// The 15 format bits: level and mask, ten BCH(15,5) check bits, masked with 101010000010010.
        static func formatBits(correction: Correction, mask: Int) -> Int {
            let data = correction.formatBits << 3 | mask
            return (data << 10 | bchRemainder(data, generator: 0b101_0011_0111, degree: 10)) ^ 0b101_0100_0001_0010
        }

        /// The 18 version bits of versions 7 and up: the version, then twelve BCH(18,6) check bits.
        static func versionBits(version: Int) -> Int {
            version << 12 | bchRemainder(version, generator: 0b1_1111_0010_0101, degree: 12)
        }

        /// `value · x^degree` modulo `generator` over GF(2), for the BCH codes of the format and version bits.
        static func bchRemainder(_ value: Int, generator: Int, degree: Int) -> Int {
            var remainder = value << degree
            while true {
                let length = Int.bitWidth - remainder.leadingZeroBitCount
                guard length > degree else { return remainder }
                remainder ^= generator << (length - 1 - degree)
            }
        }

        /// Writes both copies of the format information. Bit 0 is the least significant: the first copy runs
        /// from bit 0 at the top of column 8 down and round the top-left finder to bit 14 at the left edge of
        /// row 8; the second puts bits 0–7 right to left along row 8 under the top-right finder and bits 8–14
        /// down column 8 beside the bottom-left finder.
        mutating func drawFormat(_ bits: Int) {
            func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
            for index in 0..<6 { setFunction(x: 8, y: index, dark: bit(index)) }
            setFunction(x: 8, y: 7, dark: bit(6))
            setFunction(x: 8, y: 8, dark: bit(7))
            setFunction(x: 7, y: 8, dark: bit(8))
            for index in 9..<15 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
            for index in 0..<8 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
            for index in 8..<15 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
            setFunction(x: 8, y: size - 8, dark: true)
        }

        /// Writes both copies of the version information (versions 7 and up): bit i at column i / 3, row
        /// size − 11 + i mod 3 above the bottom-left finder, and transposed left of the top-right finder.
        mutating func drawVersion() {
            guard version >= 7 else { return }
            let bits = Self.versionBits(version: version)
            for index in 0..<18 {
                let isDark = (bits >> index) & 1 == 1
                setFunction(x: index / 3, y: size - 11 + index % 3, dark: isDark)
                setFunction(x: size - 11 + index % 3, y: index / 3, dark: isDark)
            }
        }

        // MARK: The whole symbol

        /// The finished symbol for the codewords, masked with `mask` if given, else with the mask of lowest
        /// penalty (the first such on a tie), and that mask.
        static func symbol(version: Int, correction: Correction, codewords: [UInt8],
                           mask forcedMask: Int?) -> (Matrix, Int) {
            var base = Matrix(version: version)
            base.drawVersion()
            base.place(codewords)
            func masked(_ mask: Int) -> Matrix {
                var candidate = base
                candidate.applyMask(mask)
                candidate.drawFormat(formatBits(correction: correction, mask: mask))
                return candidate
            }
            if let forcedMask { return (masked(forcedMask), forcedMask) }
            var best = (matrix: masked(0), mask: 0)
            var lowest = best.matrix.penalty()
            for mask in 1..<8 {
                let candidate = masked(mask)
                let penalty = candidate.penalty()
                if penalty < lowest {
                    (best, lowest) = ((candidate, mask), penalty)
                }
            }
            return best
        }
    }
}
