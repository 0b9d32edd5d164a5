import Foundation

/// Volume XML the broker sends to libvirt's storage API.
enum StorageVolumeXML {
    /// A qcow2 volume backed by the qcow2 image at `backingPath`: a copy-on-write overlay of it.
    static func overlay(name: String, capacity: UInt64, backingPath: String) -> String {
        """
        <volume>
          <name>\(escaped(name))</name>
          <capacity unit='bytes'>\(capacity)</capacity>
          <target><format type='qcow2'/></target>
          <backingStore><path>\(escaped(backingPath))</path><format type='qcow2'/></backingStore>
        </volume>
        """
    }

    /// An empty qcow2 volume.
    static func blank(name: String, capacity: UInt64) -> String {
        """
        <volume>
          <name>\(escaped(name))</name>
          <capacity unit='bytes'>\(capacity)</capacity>
          <target><format type='qcow2'/></target>
        </volume>
        """
    }

    /// Text made safe for XML content and attribute values.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
