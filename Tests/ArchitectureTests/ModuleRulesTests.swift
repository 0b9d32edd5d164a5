import Foundation
import Testing

/// ARCHITECTURE.md's module table, `Package.swift` and the `import`s under `Sources/` agree: no module depends on or
/// imports a Saffron module the table does not allow it, and every module has its row.
@Suite struct ModuleRulesTests {
    let repository = Repository()

    @Test func everyModuleHasItsRowInTheMapAndEveryRowIsAModule() throws {
        let rules = try repository.moduleRules()
        let modules = Set(try repository.packageTargets().filter(\.isSwiftSource).map(\.name))
        #expect(modules.subtracting(rules.keys).sorted() == [], "modules missing from ARCHITECTURE.md's table")
        #expect(Set(rules.keys).subtracting(modules).sorted() == [], "rows of ARCHITECTURE.md naming no module")
    }

    @Test func packageDependenciesStayWithinTheMap() throws {
        let rules = try repository.moduleRules()
        for target in try repository.packageTargets() where target.isSwiftSource {
            let allowed = rules[target.name] ?? []
            #expect(
                target.dependencies.subtracting(allowed).sorted() == [],
                "\(target.name) depends on modules ARCHITECTURE.md does not allow it")
        }
    }

    @Test func importsStayWithinTheMap() throws {
        let rules = try repository.moduleRules()
        let ownModules = Set(try repository.packageTargets().map(\.name))
        for (module, allowed) in rules {
            let imported = try repository.imports(ofModule: module).intersection(ownModules)
            #expect(
                imported.subtracting(allowed).subtracting([module]).sorted() == [],
                "\(module) imports modules ARCHITECTURE.md does not allow it")
        }
    }

    /// The domain uses no outside package that does I/O: no libvirt, firewall, NIO, Hummingbird's server, SQL or
    /// HTTP client. (HummingbirdBcrypt is bcrypt alone; Crypto and CoreMetrics are computation and counters.)
    @Test func brokerImportsNothingThatDoesIO() throws {
        let allowedOutside: Set<String> = [
            "Foundation", "Dispatch", "Glibc", "Synchronization", "Logging", "CoreMetrics", "Crypto", "HummingbirdBcrypt",
        ]
        let ownModules = Set(try repository.packageTargets().map(\.name))
        let outside = try repository.imports(ofModule: "Broker").subtracting(ownModules)
        #expect(outside.subtracting(allowedOutside).sorted() == [])
    }
}
