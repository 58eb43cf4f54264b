import Foundation
import SemanticHashing

/// One option of a command, as shown by `--help`, with the check its value must pass. Every
/// value (given or default) is checked before the command runs, so a bad value stops the command
/// with exit 64 before any data is read.
struct OptionSpec: Sendable {
    var name: String            // "--bits"
    var valueName: String?      // "N"; nil for a flag
    var help: String
    var defaultValue: String?   // shown in help and used when absent
    var isRequired = false
    /// Returns why a value is invalid ("must be an integer between 1 and 1024"), or nil.
    var check: (@Sendable (String) -> String?)?

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help, defaultValue: nil)
    }

    /// A free-form value (a path, a dataset spec, a name the command checks itself).
    static func value(_ name: String, _ valueName: String, _ help: String, default defaultValue: String? = nil) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, defaultValue: defaultValue)
    }

    static func integer(_ name: String, _ valueName: String = "N", _ help: String, default defaultValue: Int? = nil,
                        in range: ClosedRange<Int>) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, defaultValue: defaultValue.map(String.init)) { text in
            guard let v = Int(text), range.contains(v) else { return "must be an integer \(describe(range)), got '\(text)'" }
            return nil
        }
    }

    /// A finite number in `range`; `open` excludes the lower bound (e.g. a learning rate > 0).
    static func number(_ name: String, _ valueName: String, _ help: String, default defaultValue: Double? = nil,
                       in range: ClosedRange<Double>, openBelow: Bool = false) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, defaultValue: defaultValue.map(shortNumber)) { text in
            guard let v = Double(text), v.isFinite, range.contains(v), !(openBelow && v == range.lowerBound) else {
                let low = openBelow ? "> \(shortNumber(range.lowerBound))" : "≥ \(shortNumber(range.lowerBound))"
                let high = range.upperBound == .greatestFiniteMagnitude ? "" : " and ≤ \(shortNumber(range.upperBound))"
                return "must be a number \(low)\(high), got '\(text)'"
            }
            return nil
        }
    }

    static func choice(_ name: String, _ valueName: String, _ help: String, _ choices: [String], default defaultValue: String? = nil) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: "\(help): \(choices.joined(separator: " | "))", defaultValue: defaultValue) { text in
            choices.contains(text) ? nil : "must be one of \(choices.joined(separator: ", ")), got '\(text)'"
        }
    }

    /// A comma-separated list of integers in `range`.
    static func integers(_ name: String, _ valueName: String = "LIST", _ help: String, default defaultValue: String? = nil,
                         in range: ClosedRange<Int>) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, defaultValue: defaultValue) { text in
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            for item in items {
                guard let v = Int(item.replacingOccurrences(of: "_", with: "")), range.contains(v) else {
                    return "expects comma-separated integers \(describe(range)), got '\(item)'"
                }
            }
            return items.count <= 1000 ? nil : "lists at most 1000 values, got \(items.count)"
        }
    }

    /// A duration: `90s`, `5m`, `1h`, or a plain number of seconds, above 0.
    static func duration(_ name: String, _ help: String, default defaultValue: String? = nil) -> OptionSpec {
        OptionSpec(name: name, valueName: "DURATION", help: help, defaultValue: defaultValue) { text in
            seconds(fromDuration: text) == nil ? "must be a duration above 0 such as 90s, 5m or 1h, got '\(text)'" : nil
        }
    }

    /// Seconds in `90s`, `5m`, `1h` or `300`; nil when the text is not a positive duration.
    static func seconds(fromDuration text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text), scale = 1.0
        if let last = text.last, let unit = units[last] { number = text.dropLast(); scale = unit }
        guard let v = Double(number), v.isFinite, v > 0 else { return nil }
        return v * scale
    }

    /// The same option, marked required (shown as such in help).
    func required() -> OptionSpec {
        var o = self
        o.isRequired = true
        return o
    }

    /// The same option with another default.
    func defaulting(to value: String?) -> OptionSpec {
        var o = self
        o.defaultValue = value
        return o
    }

    /// 1 for 1.0, 0.001 for 1e-3: numbers as a person writes them.
    static func shortNumber(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "≥ \(range.lowerBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }
}

/// A subcommand: its words (`["datasets", "info"]`), help text, options and action.
struct Command: Sendable {
    var words: [String]
    var summary: String
    var discussion: String = ""
    var positionals: [(name: String, help: String)] = []
    /// Any number of further arguments after `positionals` (e.g. the files of `index --merge`).
    var trailingArguments: (name: String, help: String)? = nil
    var options: [OptionSpec] = []
    /// Sets of options of which at most one may be given.
    var exclusive: [[String]] = []
    var run: @Sendable (ParsedArguments) throws -> Void

    var name: String { words.joined(separator: " ") }

    var help: String {
        var lines = ["OVERVIEW: \(summary)", ""]
        let positional = (positionals.map { "<\($0.name)>" } + (trailingArguments.map { ["[<\($0.name)> …]"] } ?? []))
            .joined(separator: " ")
        let required = options.filter(\.isRequired).map { "\($0.name) <\($0.valueName ?? "")>" }.joined(separator: " ")
        lines.append("USAGE: semhash \(name)\(positional.isEmpty ? "" : " " + positional)\(required.isEmpty ? "" : " " + required) [options]")
        if !discussion.isEmpty { lines += ["", discussion] }
        if !positionals.isEmpty || trailingArguments != nil {
            lines += ["", "ARGUMENTS:"]
            for p in positionals + (trailingArguments.map { [$0] } ?? []) { lines.append("  " + "<\(p.name)>".padding(toLength: 26, withPad: " ", startingAt: 0) + p.help) }
        }
        lines += ["", "OPTIONS:"]
        for o in options + [.flag("--help", "Show this help.")] {
            let head = o.name + (o.valueName.map { " <\($0)>" } ?? "")
            var text = o.help
            if o.isRequired { text += " (required)" }
            if let d = o.defaultValue { text += " (default: \(d))" }
            lines.append("  " + head.padding(toLength: max(26, head.count + 2), withPad: " ", startingAt: 0) + text)
        }
        if !exclusive.isEmpty {
            lines += ["", "  These exclude each other: " + exclusive.map { $0.joined(separator: " / ") }.joined(separator: "; ")]
        }
        return lines.joined(separator: "\n")
    }
}

/// A usage mistake: printed with a hint and exit code 64 (EX_USAGE).
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// The parsed options and positionals of one command line, every value already checked against
/// its option's rule.
struct ParsedArguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    /// Options given on the command line (not filled in from defaults).
    var given: Set<String> = []
    let command: Command

    /// Old option names and the ones that replaced them.
    static let renamed = ["--level": "--supervision", "--levels": "--supervision"]

    init(command: Command, arguments: [String]) throws {
        self.command = command
        var i = 0
        let known = Dictionary(uniqueKeysWithValues: command.options.map { ($0.name, $0) })
        var optionsEnded = false
        while i < arguments.count {
            let arg = arguments[i]
            if arg == "--" && command.trailingArguments != nil && !optionsEnded {
                optionsEnded = true   // everything after "--" is an argument, even "--name"
            } else if !optionsEnded && arg.hasPrefix("--") && arg.count > 2 {
                var name = arg
                var inline: String?
                if let eq = arg.firstIndex(of: "=") {
                    name = String(arg[..<eq])
                    inline = String(arg[arg.index(after: eq)...])
                }
                if known[name] == nil, let new = Self.renamed[name], known[new] != nil {
                    printError("note: \(name) is now called \(new)")
                    name = new
                }
                guard let spec = known[name] else {
                    let names = command.options.map(\.name).joined(separator: ", ")
                    throw UsageError(description: "unknown option '\(name)' for 'semhash \(command.name)'; valid: \(names.isEmpty ? "none" : names)")
                }
                guard !given.contains(name) else { throw UsageError(description: "option '\(name)' is given twice") }
                given.insert(name)
                if spec.valueName == nil {
                    if inline != nil { throw UsageError(description: "option '\(name)' takes no value") }
                    flags.insert(name)
                } else if let v = inline {
                    values[name] = v
                } else {
                    guard i + 1 < arguments.count else { throw UsageError(description: "option '\(name)' needs a value <\(spec.valueName!)>") }
                    i += 1
                    values[name] = arguments[i]
                }
            } else {
                positionals.append(arg)
            }
            i += 1
        }
        if positionals.count > command.positionals.count && command.trailingArguments == nil {
            throw UsageError(description: "unexpected argument '\(positionals[command.positionals.count])' for 'semhash \(command.name)'")
        }
        for group in command.exclusive {
            let present = group.filter { given.contains($0) }
            if present.count > 1 { throw UsageError(description: "\(present.joined(separator: " and ")) exclude each other; give one") }
        }
        // An empty file, index, folder, model or dataset names nothing: it would fail late (after
        // training, say) with a message like "error: : no such file".
        for (k, p) in positionals.prefix(command.positionals.count).enumerated() where p.isEmpty {
            throw UsageError(description: "argument <\(command.positionals[k].name)> is empty")
        }
        for o in command.options {
            if o.isRequired && values[o.name] == nil { throw UsageError(description: "missing required option \(o.name) <\(o.valueName ?? "")>") }
            if o.valueName != nil && values[o.name] == nil, let d = o.defaultValue { values[o.name] = d }
            if values[o.name] == "", let kind = o.valueName, ["FILE", "INDEX", "INDEX[,INDEX…]", "DIR", "DATASET", "M"].contains(kind) {
                throw UsageError(description: "\(o.name): needs a non-empty <\(kind)>, got ''")
            }
            if let v = values[o.name], let check = o.check, let reason = check(v) {
                throw UsageError(description: "\(o.name): \(reason)")
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func string(_ name: String) -> String? { values[name] }

    func isGiven(_ name: String) -> Bool { given.contains(name) }

    func required(_ name: String) throws -> String {
        guard let v = values[name] else { throw UsageError(description: "missing required option \(name)") }
        return v
    }

    func positional(_ index: Int) throws -> String {
        guard index < positionals.count else {
            throw UsageError(description: "missing argument <\(command.positionals[index].name)>")
        }
        return positionals[index]
    }

    func int(_ name: String) throws -> Int? {
        guard let s = values[name] else { return nil }
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else { throw UsageError(description: "\(name) expects an integer, got '\(s)'") }
        return v
    }

    func double(_ name: String) throws -> Double? {
        guard let s = values[name] else { return nil }
        guard let v = Double(s), v.isFinite else { throw UsageError(description: "\(name) expects a number, got '\(s)'") }
        return v
    }

    /// A comma-separated list, e.g. `--bits 16,32`.
    func list(_ name: String) -> [String]? {
        values[name].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    /// A comma-separated list of integers (checked by the option's rule).
    func ints(_ name: String) throws -> [Int]? {
        try list(name).map { try $0.map { s in
            guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else { throw UsageError(description: "\(name) expects integers, got '\(s)'") }
            return v
        } }
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Dispatches `arguments` (without the program name) to the matching command and returns the
/// exit code (see `ExitStatus`).
func runCommandLine(_ arguments: [String], commands: [Command], version: String) -> Int32 {
    func topHelp() -> String {
        var lines = ["OVERVIEW: semhash — semi-supervised semantic hashing (SSB-VAE, VDSH-S, PHS-GS) and Hamming search",
                     "", "USAGE: semhash <command> [options]", "", "COMMANDS:"]
        for c in commands { lines.append("  " + c.name.padding(toLength: 20, withPad: " ", startingAt: 0) + c.summary) }
        lines += ["", "  Run 'semhash <command> --help' for a command's options.",
                  "  'semhash --version' prints the version and the compute backend in use.",
                  "", "EXIT CODES:", ExitStatus.table]
        return lines.joined(separator: "\n")
    }
    if arguments.isEmpty || arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"] {
        print(topHelp())
        return arguments.isEmpty ? ExitStatus.usage : 0
    }
    if arguments == ["--version"] {
        print(version)
        return 0
    }
    // Longest match of command words.
    let match = commands
        .filter { arguments.count >= $0.words.count && Array(arguments.prefix($0.words.count)) == $0.words }
        .max { $0.words.count < $1.words.count }
    guard let command = match else {
        let group = commands.filter { $0.words.count > 1 && $0.words.first == arguments[0] }
        if !group.isEmpty {
            // `semhash datasets --help` and the like: the group's subcommands.
            let wantsHelp = arguments.count == 1 || ["--help", "-h"].contains(arguments[1])
            var lines = ["OVERVIEW: semhash \(arguments[0]) <subcommand>", "", "SUBCOMMANDS:"]
            for c in group { lines.append("  " + c.name.padding(toLength: 20, withPad: " ", startingAt: 0) + c.summary) }
            lines.append("\n  Run 'semhash \(arguments[0]) <subcommand> --help' for its options.")
            if wantsHelp && arguments.count > 1 {
                print(lines.joined(separator: "\n"))
                return 0
            }
            printError(arguments.count == 1 ? lines.joined(separator: "\n")
                       : "error: '\(arguments[1])' is not a subcommand of '\(arguments[0])'; valid: \(group.map(\.name).joined(separator: ", "))")
            return ExitStatus.usage
        }
        printError("error: unknown command '\(arguments[0])'. Run 'semhash --help' for the list.")
        return ExitStatus.usage
    }
    let rest = Array(arguments.dropFirst(command.words.count))
    if rest.contains("--help") || rest.contains("-h") {
        print(command.help)
        return 0
    }
    do {
        let parsed = try ParsedArguments(command: command, arguments: rest)
        try command.run(parsed)
        return 0
    } catch let error as UsageError {
        printError("error: \(error.description)\nRun 'semhash \(command.name) --help' for usage.")
        return ExitStatus.usage
    } catch {
        let status = ExitStatus(error)
        printError("error: \(status.message)")
        return status.code
    }
}
