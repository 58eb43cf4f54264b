/// How the experiment CSV files spell values: numbers in Swift's shortest round-trip form
/// (so a value read back is bit-identical), and text checked to need no quoting.
///
/// ```swift
/// CSVField.number(0.1) == "0.1";  CSVField.number(1e-05) == "1e-05"
/// try CSVField.text("snippets", name: "dataset name") == "snippets"
/// ```
public enum CSVField {
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        return "\(value)"
    }

    /// Text that goes into a CSV field as is; commas, quotes and line breaks are rejected because
    /// the files are plain comma-separated without quoting, like the reference's.
    public static func text(_ value: String, name: String) throws -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            throw SemanticHashingError.invalidArgument(name: name, reason: "'\(value)' may not contain commas, quotes or line breaks (it is written to a CSV file)")
        }
        return value
    }
}
