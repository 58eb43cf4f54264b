/// Training for every model kind: gradient steps for the VAEs (`Trainer`), a closed-form fit for
/// the classical models (`ClassicalModel`).
///
/// ```
/// vae:        model = HashingVAE(configuration, seed);  Trainer(options).train(model, on: data)
/// classical:  model = ClassicalModel.fit(configuration, on: data, seed: options.seed)   (no epochs)
/// ```
///
/// ```swift
/// let (model, history) = try ModelTraining.fit(config, on: masked.train, options: TrainingOptions(seed: 20))
/// ```
public enum ModelTraining {
    /// A model of `configuration` ready to receive stored tensors (`HashingModel.load(state:)`).
    public static func emptyModel(_ configuration: ModelConfiguration) -> any HashingModel {
        switch configuration.preset.family {
        case .vae: return HashingVAE(configuration: configuration, seed: 0)
        case .classical: return ClassicalModel(configuration: configuration)
        }
    }

    /// `configuration` with the share of `data`'s items that carry labels recorded, for a supervised
    /// model whose share is not set yet (the pairwise weight grows with it, design.md §9).
    public static func recordingLabelledShare(_ configuration: ModelConfiguration, of data: DataSplit) -> ModelConfiguration {
        guard configuration.preset.usesLabels && configuration.labelledShare == nil && data.count > 0 else { return configuration }
        var configuration = configuration
        configuration.labelledShare = Double(data.labels.labelledItems.count) / Double(data.count)
        return configuration
    }

    /// Trains or fits a model on `data` (training + validation items, labels as the supervision
    /// leaves them); a supervised VAE's configuration records the share of labelled items. The
    /// epoch history is empty for the classical models. `readoutInputWeight`: see
    /// `ClassAlignedReadout.fit(_:on:seed:itqIterations:settings:inputWeight:)`.
    public static func fit(_ configuration: ModelConfiguration, on data: DataSplit, options: TrainingOptions,
                           readoutInputWeight: Double = 1,
                           onBatch: (Int, Int, LossBreakdown) -> Void = { _, _, _ in },
                           onEpoch: (EpochSummary) -> Void = { _ in }) throws -> (model: any HashingModel, history: [EpochSummary]) {
        try configuration.validate()
        switch configuration.preset.family {
        case .vae:
            let model = HashingVAE(configuration: recordingLabelledShare(configuration, of: data), seed: options.seed)
            let history = try Trainer(options: options).train(model, on: data, onBatch: onBatch, onEpoch: onEpoch)
            // The input readout first: the class-aligned readout reads the latent through it.
            if model.configuration.readsInputIntoCodes(labelledItems: data.labels.labelledItems.count) {
                let choice = LatentInputReadout.choose(model, on: data, seed: options.seed)
                model.inputReadout = choice.readout
                model.inputReadoutChoice = choice
            }
            if model.configuration.readsClassesIntoCodes {
                model.readout = ClassAlignedReadout.fit(model, on: data, seed: options.seed, inputWeight: readoutInputWeight)
            }
            return (model, history)
        case .classical:
            return (try ClassicalModel.fit(configuration: configuration, on: data, seed: options.seed), [])
        }
    }
}
