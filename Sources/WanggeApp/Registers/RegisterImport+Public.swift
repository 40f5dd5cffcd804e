import Foundation
import WanggeCore
import WanggeStorage

/// What an import did, for the command line.
public struct RegisterImportSummary: Sendable {
    public var processed: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    public var applied: Bool
    public var message: String
    public var errors: [RowError]
}

extension AppServices {
    /// Imports a register file from the command line (no territory limit), reporting rows processed so far.
    /// - Parameter sheetID: `people`, `buildings`, `houses`, `residences`, `organisations`, `components` or `roles:KIND`.
    public func importRegister(_ data: Data, filename: String, sheetID: String, allOrNothing: Bool,
                               progress: @escaping @Sendable (Int) async -> Void) async throws -> RegisterImportSummary {
        guard let kind = RegisterSheetKind(id: sheetID), RegisterSheet.of(kind) != nil else {
            let known = RegisterSheet.all().map(\.kind.id).joined(separator: ", ")
            throw ConfigurationError("没有这种登记表：\(sheetID)；可用：\(known)")
        }
        let outcome = try await registerImporter.run(data, filename: filename, sheet: kind, allOrNothing: allOrNothing, territory: nil,
                                                     actor: .commandLine()) { await progress($0.processed) }
        return RegisterImportSummary(processed: outcome.progress.processed, created: outcome.progress.created,
                                     updated: outcome.progress.updated, unchanged: outcome.progress.unchanged,
                                     rejected: outcome.progress.rejected, applied: outcome.applied, message: outcome.message,
                                     errors: outcome.errors)
    }
}
