import Foundation
import TariffCore
import Testing

@testable import TariffStore

/// The connection counts behind `tariff_store_connections`: an operation counts as waiting
/// until it holds a connection, then as in use until it gives it back, on both engines.
@Suite("Connection use")
struct ConnectionUseTests {
    /// Holds one of the engine's connections until `release` finishes.
    static func hold(_ store: any TariffStore, engine: StoreEngine, until release: AsyncStream<Void>) async throws {
        switch engine {
        case .sqlite:
            let sqlite = try #require(store as? SQLiteStore)
            try await sqlite.engine.exclusive { _ in for await _ in release {} }
        case .postgres:
            let postgres = try #require(store as? PostgresStore)
            try await postgres.engine.guarded { _ in for await _ in release {} }
        }
    }

    @Test("a held connection is in use, a second writer waits, and both are counted out when done", arguments: StoreEngine.all)
    func counts(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let use = store.connectionUse
            #expect(use.reading.inUse == 0 && use.reading.waiting == 0 && use.reading.capacity >= 1)
            let (release, releasing) = AsyncStream<Void>.makeStream()
            let holder = Task { try await Self.hold(store, engine: engine, until: release) }
            while use.reading.inUse < 1 { await Task.yield() }
            #expect(use.reading.inUse == 1)
            if engine == .sqlite {
                // The writer is one connection: a second write waits for it.
                let writer = Task {
                    try await store.audit.record(AuditEvent(at: .now(), actor: .commandLine(user: "t"), action: "a", target: "t", detail: ""))
                }
                while use.reading.waiting < 1 { await Task.yield() }
                #expect(use.reading.waiting == 1 && use.reading.inUse == 1)
                releasing.finish()
                try await holder.value
                _ = try await writer.value
            } else {
                releasing.finish()
                try await holder.value
            }
            #expect(use.reading.inUse == 0 && use.reading.waiting == 0)
        }
    }
}
