import Foundation
import SemanticHashing

let version = "semhash \(SemanticHashingVersion.string) — compute backend: \(ComputeBackend.current.name)"

let commands: [Command] = [
    trainCommand,
    encodeCommand,
    evaluateCommand,
    experimentCommand,
    reportCommand,
    tuneCommand,
    DatasetsCommand.info(),
    .benchKernels,
]

exit(runCommandLine(Array(CommandLine.arguments.dropFirst()), commands: commands, version: version))
