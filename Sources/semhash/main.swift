import Foundation
import SemanticHashing

let version = "semhash \(SemanticHashingVersion.string) — compute backend: \(ComputeBackend.current.name)"

let commands: [Command] = [
    indexCommand,
    searchCommand,
    benchSearchCommand,
    benchMetricsCommand,
]

exit(runCommandLine(Array(CommandLine.arguments.dropFirst()), commands: commands, version: version))
