extension StringProtocol {
    /// The text without leading and trailing whitespace (Foundation-free).
    ///
    /// Every cell of an import passes through here several times, and asking a `Character`
    /// whether it is whitespace means a Unicode property lookup; so text that plainly starts and
    /// ends with something else (ASCII, a CJK ideograph: nearly every cell) is returned at once.
    public var trimmed: SubSequence {
        if let head = unicodeScalars.first, let tail = unicodeScalars.last, head.isPlainlyVisible, tail.isPlainlyVisible {
            return self[...]
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}

extension Unicode.Scalar {
    /// Printable ASCII or a CJK unified ideograph: never whitespace, and never joined to a
    /// whitespace before it in one grapheme cluster (it is neither Extend nor SpacingMark), so
    /// the `Character` it ends or starts is not whitespace either.
    var isPlainlyVisible: Bool {
        (0x21...0x7E).contains(value) || (0x4E00...0x9FFF).contains(value)
    }
}
