import Foundation
import SemanticHashing

let encodeCommand = Command(
    words: ["encode"],
    summary: "Turn the items of a dataset split into binary codes with a trained model.",
    discussion: """
    Writes one code per line, in item order. --format bits writes B characters '0'/'1' (bit 0
    first); --format hex writes the same bits as hexadecimal, 4 bits a digit, bit 0 the most
    significant bit of the first digit.
    """,
    options: [
        .value("--model", "FILE", "A model written by 'semhash train'").required(),
        CommonOptions.data,
        .choice("--split", "NAME", "Which items (database = train + val)", ["train", "val", "database", "test"], default: "test"),
        .choice("--format", "F", "Code format", ["hex", "bits"], default: "hex"),
        .value("--out", "FILE", "Output file (default: standard output)"),
    ],
    run: { args in
        let file = try ModelFile.read(from: try args.required("--model"))
        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: true, ranks: false)
        let split: DataSplit
        switch args.string("--split")! {
        case "train": split = dataset.train
        case "val":
            guard let v = dataset.validation else { throw SemanticHashingError.invalidArgument(name: "--split", reason: "\(args.string("--data")!) has no validation split") }
            split = v
        case "database": split = dataset.database
        case "test": split = dataset.test
        default: split = dataset.test
        }
        guard split.features.columns == file.model.configuration.inputDimensions else {
            throw SemanticHashingError.invalidArgument(name: "--data", reason: "has \(split.features.columns) features, the model expects \(file.model.configuration.inputDimensions)")
        }
        let values = file.model.codeValues(split.features)
        let format = args.string("--format")!
        let text = CodeListing(codes: BinaryCodes(thresholding: values)).text(hex: format == "hex")
        if let out = args.string("--out") {
            try AtomicFile.write(text, to: out)
        } else {
            print(text, terminator: "")
        }
    }
)

