import Foundation
import SemanticHashing

/// One option of a command, as shown by `--help`.
struct OptionSpec: Sendable {
    var name: String            // "--bits"
    var valueName: String?      // "N"; nil for a flag
    var help: String
    var defaultValue: String?   // shown in help and used when absent

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help, defaultValue: nil)
    }
    static func value(_ name: String, _ valueName: String, _ help: String, default defaultValue: String? = nil) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, defaultValue: defaultValue)
    }
}

/// A subcommand: its words (`["datasets", "info"]`), help text, options and action.
struct Command: Sendable {
    var words: [String]
    var summary: String
    var discussion: String = ""
    var positionals: [(name: String, help: String)] = []
    var options: [OptionSpec] = []
    var run: @Sendable (ParsedArguments) throws -> Void

    var name: String { words.joined(separator: " ") }

    var help: String {
        var lines = ["OVERVIEW: \(summary)", ""]
        let positional = positionals.map { "<\($0.name)>" }.joined(separator: " ")
        lines.append("USAGE: semhash \(name)\(positional.isEmpty ? "" : " " + positional) [options]")
        if !discussion.isEmpty { lines += ["", discussion] }
        if !positionals.isEmpty {
            lines += ["", "ARGUMENTS:"]
            for p in positionals { lines.append("  " + "<\(p.name)>".padding(toLength: 26, withPad: " ", startingAt: 0) + p.help) }
        }
        lines += ["", "OPTIONS:"]
        for o in options + [.flag("--help", "Show this help.")] {
            let head = o.name + (o.valueName.map { " <\($0)>" } ?? "")
            var text = o.help
            if let d = o.defaultValue { text += " (default: \(d))" }
            lines.append("  " + head.padding(toLength: max(26, head.count + 2), withPad: " ", startingAt: 0) + text)
        }
        return lines.joined(separator: "\n")
    }
}

/// A usage mistake: printed with a hint and exit code 64 (EX_USAGE).
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// The parsed options and positionals of one command line, with typed accessors that throw
/// `UsageError` naming the option on a bad value.
struct ParsedArguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    let command: Command

    init(command: Command, arguments: [String]) throws {
        self.command = command
        var i = 0
        let known = Dictionary(uniqueKeysWithValues: command.options.map { ($0.name, $0) })
        while i < arguments.count {
            let arg = arguments[i]
            if arg.hasPrefix("--") && arg.count > 2 {
                var name = arg
                var inline: String?
                if let eq = arg.firstIndex(of: "=") {
                    name = String(arg[..<eq])
                    inline = String(arg[arg.index(after: eq)...])
                }
                guard let spec = known[name] else {
                    let names = command.options.map(\.name).joined(separator: ", ")
                    throw UsageError(description: "unknown option '\(name)' for 'semhash \(command.name)'; valid: \(names.isEmpty ? "none" : names)")
                }
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
        if positionals.count > command.positionals.count {
            throw UsageError(description: "unexpected argument '\(positionals[command.positionals.count])' for 'semhash \(command.name)'")
        }
        for o in command.options where o.valueName != nil && values[o.name] == nil {
            if let d = o.defaultValue { values[o.name] = d }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func string(_ name: String) -> String? { values[name] }

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
        guard let v = Int(s) else { throw UsageError(description: "\(name) expects an integer, got '\(s)'") }
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
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Dispatches `arguments` (without the program name) to the matching command.
func runCommandLine(_ arguments: [String], commands: [Command], version: String) -> Int32 {
    func topHelp() -> String {
        var lines = ["OVERVIEW: semhash — semi-supervised semantic hashing (SSB-VAE, VDSH-S, PHS-GS) and Hamming search",
                     "", "USAGE: semhash <command> [options]", "", "COMMANDS:"]
        for c in commands { lines.append("  " + c.name.padding(toLength: 20, withPad: " ", startingAt: 0) + c.summary) }
        lines += ["", "  Run 'semhash <command> --help' for a command's options.",
                  "  'semhash --version' prints the version and the compute backend in use."]
        return lines.joined(separator: "\n")
    }
    if arguments.isEmpty || arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"] {
        print(topHelp())
        return arguments.isEmpty ? 64 : 0
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
        let prefixGroup = commands.filter { $0.words.first == arguments[0] }
        if !prefixGroup.isEmpty {
            printError("error: '\(arguments.dropFirst().first ?? "")' is not a subcommand of '\(arguments[0])'; valid: \(prefixGroup.map(\.name).joined(separator: ", "))")
        } else {
            printError("error: unknown command '\(arguments[0])'. Run 'semhash --help' for the list.")
        }
        return 64
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
        return 64
    } catch {
        printError("error: \(error)")
        return 1
    }
}
