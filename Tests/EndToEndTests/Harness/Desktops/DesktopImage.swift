import Foundation

/// The real desktop that `deploy/desktop-image/build.sh` makes (Debian with Xorg, IceWM, an xterm and spice-vdagent,
/// logged in as "user"), found through `SAFFRON_DESKTOP_IMAGE` as `Tests/run-all.sh` sets it, and the template pools
/// made from it: `safdesk` (volatile) and `safdeskp` (persistent), one VM each.
enum DesktopImage {
    static let volatilePool = "safdesk"
    static let persistentPool = "safdeskp"
    /// The base image's copy in the test storage pool (`TemplateImages.storagePool`).
    static let baseImage = "\(TemplateImages.directory)/saf-e2e-desktop.qcow2"

    /// The image's folder; throws when the run did not build it.
    static func folder() throws -> String {
        guard let folder = ProcessInfo.processInfo.environment["SAFFRON_DESKTOP_IMAGE"], !folder.isEmpty else {
            throw CommandError(description: "SAFFRON_DESKTOP_IMAGE is not set: Tests/run-all.sh builds the image and sets it")
        }
        return folder
    }

    /// Copies the base image into the test storage pool, which `TemplateImages.create()` has made.
    static func install() throws {
        try Command.check(["cp", "\(try folder())/desktop.qcow2", baseImage])
        try Command.check(TestVMs.virsh(["pool-refresh", TemplateImages.storagePool]))
    }

    /// The image's own domain template, with its SPICE server on the hypervisor address.
    static func templateFile() throws -> URL {
        let template = try String(contentsOfFile: "\(try folder())/template.xml", encoding: .utf8)
        let listening = template.replacingOccurrences(of: "listen='127.0.0.1'", with: "listen='\(Topology.hypervisorAddress)'")
        guard listening != template else { throw CommandError(description: "the desktop template's SPICE listen address moved") }
        let file = Scratch.file("desktop-template.xml")
        try listening.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The guest's screen size as libvirt reads it from the running VM (`virsh screenshot`).
    static func screenSize(of vm: String) throws -> (width: Int, height: Int) {
        let shot = Scratch.file("\(vm)-screen.ppm")
        defer { try? FileManager.default.removeItem(at: shot) }
        try Command.check(TestVMs.virsh(["screenshot", vm, shot.path]))
        let size = try Command.check(["identify", "-format", "%w %h", shot.path]).output
            .split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard size.count == 2 else { throw CommandError(description: "identify could not read \(vm)'s screenshot") }
        return (size[0], size[1])
    }
}
