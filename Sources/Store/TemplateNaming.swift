/// How a template pool names the VMs it creates: the pool's name and a three-digit number, `lab-001`.
public enum TemplateNaming {
    public static func vmName(pool: String, number: Int) -> String {
        let digits = String(number)
        return "\(pool)-\(String(repeating: "0", count: max(0, 3 - digits.count)))\(digits)"
    }
}
