import Foundation
import SemanticHashing

let version = "semhash \(SemanticHashingVersion.string) — compute backend: \(ComputeBackend.current.name); scan kernel: \(ScanKernel.fastest.rawValue); vector kernels: \(VectorKernelLevel.current.rawValue)"

let commands: [Command] = [
    demoCommand,
    trainCommand,
    encodeCommand,
    evaluateCommand,
    indexCommand,
    searchCommand,
    experimentCommand,
    reportCommand,
    tuneCommand,
    DatasetsCommand.info(),
    .benchKernels,
    benchTrainingStepCommand,
    benchEncodeCommand,
    benchSearchCommand,
    benchStreamCommand,
    benchMetricsCommand,
]

exit(runCommandLine(Array(CommandLine.arguments.dropFirst()), commands: commands, version: version))
