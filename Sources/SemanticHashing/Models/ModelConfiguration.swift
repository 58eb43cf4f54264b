/// What the latent bits are.
public enum LatentKind: String, Codable, Sendable {
    /// Bernoulli bits, relaxed while training by the binary concrete (Gumbel-sigmoid) trick.
    case bernoulli
    /// Gaussian variables, reparameterised; a bit is the sign of the mean.
    case gaussian
}

/// Which supervision terms the model trains with (design.md, Models).
public enum SupervisionKind: String, Codable, Sendable {
    /// Unsupervised: reconstruction + KL only.
    case none
    /// A label head on the sampled code, pointwise cross-entropy (VDSH-S).
    case pointwise
    /// A label head on the hidden layer, pointwise + pairwise on true labels (PHS-GS).
    case pairwiseTrueLabels
    /// A label head on the hidden layer, pointwise + pairwise on predicted label distributions (SSB-VAE).
    case pairwisePredicted
}

/// Every model semhash trains: the paper's five VAEs, presets over (latent kind, supervision
/// kind), and the four classical baselines (design.md, Classical baselines).
public enum ModelPreset: String, CaseIterable, Codable, Sendable {
    case vdsh = "vdsh"
    case bvae = "bvae"
    case vdshS = "vdsh-s"
    case phsGS = "phs-gs"
    case ssbVAE = "ssb-vae"
    case lsh = "lsh"
    case itq = "itq"
    case ssh = "ssh"
    case labelITQ = "label-itq"

    /// A variational autoencoder trained by gradient steps, or a classical model fitted in closed form.
    public enum Family: String, Sendable { case vae, classical }

    public var family: Family {
        switch self { case .vdsh, .bvae, .vdshS, .phsGS, .ssbVAE: return .vae; case .lsh, .itq, .ssh, .labelITQ: return .classical }
    }

    /// The VAE's latent type (Bernoulli for the classical models, whose codes are bits too).
    public var latent: LatentKind {
        switch self { case .vdsh, .vdshS: return .gaussian; default: return .bernoulli }
    }

    /// The VAE's supervision terms (none for the classical models; see `usesLabels`).
    public var supervision: SupervisionKind {
        switch self {
        case .vdshS: return .pointwise
        case .phsGS: return .pairwiseTrueLabels
        case .ssbVAE: return .pairwisePredicted
        default: return .none
        }
    }

    /// Whether the model learns from the labels it is given.
    public var usesLabels: Bool {
        switch self { case .vdshS, .phsGS, .ssbVAE, .ssh, .labelITQ: return true; default: return false }
    }

    /// The name the paper and the hyper-parameter CSV use ("SSB-VAE", "PHS-GS", "VDSH-S", …).
    public var paperName: String {
        switch self { case .vdsh: return "VDSH"; case .bvae: return "B-VAE"; case .vdshS: return "VDSH-S"
        case .phsGS: return "PHS-GS"; case .ssbVAE: return "SSB-VAE"; case .lsh: return "LSH"; case .itq: return "ITQ"
        case .ssh: return "SSH"; case .labelITQ: return "label-ITQ" }
    }

    public init?(name: String) {
        let key = name.lowercased()
        guard let preset = ModelPreset.allCases.first(where: { $0.rawValue == key || $0.paperName.lowercased() == key }) else { return nil }
        self = preset
    }

    /// Defaults that work on a new dataset without tuning: the reference's Snippets settings at
    /// 10 % labels (reference-hyperparameters.csv), which are also sensible elsewhere.
    public var defaultWeights: LossWeights {
        switch self {
        case .vdsh: return LossWeights(alpha: 0, beta: 0.125, gamma: 0)
        case .bvae: return LossWeights(alpha: 0, beta: 0.015625, gamma: 0)
        case .vdshS: return LossWeights(alpha: 10, beta: 0.125, gamma: 0)
        case .phsGS: return LossWeights(alpha: 0.0001, beta: 0.015625, gamma: 1000)
        case .ssbVAE: return LossWeights(alpha: 0.0001, beta: 0.015625, gamma: 10000)
        case .lsh, .itq, .ssh, .labelITQ: return LossWeights(alpha: 0, beta: 0, gamma: 0)
        }
    }
}

/// The loss weights (design.md, Losses):
/// ```
/// VDSH, B-VAE:      REC + β·KL
/// VDSH-S:           REC + β·KL + α·POINT
/// PHS-GS, SSB-VAE:  REC + β·KL + α·(γ·POINT + PAIR)
/// ```
public struct LossWeights: Codable, Sendable, Equatable {
    public var alpha: Double
    public var beta: Double
    public var gamma: Double

    public init(alpha: Double, beta: Double, gamma: Double) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
    }
}

/// Where the reference implementation does something odd that the paper's numbers depend on
/// (design.md, The reference's quirks). `reference` reproduces them; `principled` does the sound thing.
public enum ModelVariant: String, Codable, Sendable, CaseIterable {
    /// PHS-GS counts every pair touching an unlabelled item as dissimilar; multi-label pointwise
    /// loss treats an unlabelled item as "in no class"; SSB-VAE's multi-label pointwise term is
    /// summed over the batch.
    case reference
    /// Pairs and pointwise terms touching unlabelled items are skipped; every term is a batch mean;
    /// SSB-VAE's pairwise term takes pseudo-labels (`PairwiseHead.Similarity.pseudoLabels`).
    case principled
}

/// Everything needed to rebuild a model's architecture and losses.
public struct ModelConfiguration: Codable, Sendable, Equatable {
    public var preset: ModelPreset
    public var bits: Int
    public var inputDimensions: Int
    public var hiddenDimensions: Int
    public var classCount: Int
    public var multiLabel: Bool
    public var reconstruction: ReconstructionKind
    public var weights: LossWeights
    public var variant: ModelVariant
    /// Temperature τ of the binary concrete relaxation.
    public var temperature: Double
    /// How the pairwise term measures the similarity of two items' label vectors.
    public var pairSimilarity: PairSimilarity
    /// Weight λ of the bit-balance penalty on the relaxed codes (`BitBalanceLoss`); 0 = off.
    public var bitBalance: Double
    /// The classical models' settings (unused by the VAEs).
    public var baseline: BaselineSettings
    /// The share of training items that carry labels; `ModelTraining.fit` sets it from the data
    /// when it is nil. The principled variant scales the pairwise term by it (`pairWeight`).
    public var labelledShare: Double?

    public init(preset: ModelPreset, bits: Int, inputDimensions: Int, classCount: Int, multiLabel: Bool,
                reconstruction: ReconstructionKind = .distribution, weights: LossWeights? = nil,
                variant: ModelVariant = .reference, hiddenDimensions: Int = 500, temperature: Double = 0.67,
                pairSimilarity: PairSimilarity = .dot, bitBalance: Double = 0, baseline: BaselineSettings = BaselineSettings()) {
        self.preset = preset
        self.bits = bits
        self.inputDimensions = inputDimensions
        self.hiddenDimensions = hiddenDimensions
        self.classCount = classCount
        self.multiLabel = multiLabel
        self.reconstruction = reconstruction
        self.weights = weights ?? preset.defaultWeights
        self.variant = variant
        self.temperature = temperature
        self.pairSimilarity = pairSimilarity
        self.bitBalance = bitBalance
        self.baseline = baseline
    }

    enum CodingKeys: String, CodingKey {
        case preset, bits, inputDimensions, hiddenDimensions, classCount, multiLabel, reconstruction, weights, variant, temperature
        case pairSimilarity, bitBalance, baseline, labelledShare
    }

    /// Reads model files of every version: settings added later take the value that reproduces
    /// what older files meant.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decode(ModelPreset.self, forKey: .preset)
        bits = try c.decode(Int.self, forKey: .bits)
        inputDimensions = try c.decode(Int.self, forKey: .inputDimensions)
        hiddenDimensions = try c.decode(Int.self, forKey: .hiddenDimensions)
        classCount = try c.decode(Int.self, forKey: .classCount)
        multiLabel = try c.decode(Bool.self, forKey: .multiLabel)
        reconstruction = try c.decode(ReconstructionKind.self, forKey: .reconstruction)
        weights = try c.decode(LossWeights.self, forKey: .weights)
        variant = try c.decode(ModelVariant.self, forKey: .variant)
        temperature = try c.decode(Double.self, forKey: .temperature)
        pairSimilarity = try c.decodeIfPresent(PairSimilarity.self, forKey: .pairSimilarity) ?? .dot
        bitBalance = try c.decodeIfPresent(Double.self, forKey: .bitBalance) ?? 0
        baseline = try c.decodeIfPresent(BaselineSettings.self, forKey: .baseline) ?? BaselineSettings()
        labelledShare = try c.decodeIfPresent(Double.self, forKey: .labelledShare)
    }

    public var latent: LatentKind { preset.latent }
    public var supervision: SupervisionKind { preset.supervision }
    /// Margin of the pairwise hinge, m = B/3.
    public var margin: Float { Float(bits) / 3 }

    /// The code length and labelled share the default weights were chosen at (the reference's
    /// Snippets settings: 16 bits, 10 % labels).
    public static let defaultsBits = 16
    public static let defaultsLabelledShare = 0.1

    /// The weight of the KL term in a training step. The KL sums over the bits while the label
    /// terms do not, so for the supervised models the principled variant reads β per 16 bits:
    /// β·16/B. (Validation P@100 of SSB-VAE at 32 bits, 10 % labels: + 0.002 to + 0.019 on all
    /// five corpora; for B-VAE, with no label terms, it was mixed: − 0.022 to + 0.015.)
    public var klWeight: Double {
        variant == .principled && preset.usesLabels ? weights.beta * Double(Self.defaultsBits) / Double(bits) : weights.beta
    }

    /// The weight of the pairwise term, α·PAIR. The principled variant grows it with the share of
    /// labelled items: the term is only as trustworthy as the labels behind its similarities, and
    /// a strong pull on few labels over-fits them.
    /// ```
    /// α_pair = α·(share / 0.1)      single-label
    /// α_pair = α·√(share / 0.1)     multi-label (Y·Yᵀ counts shared classes, so most labelled
    ///                               pairs already pull harder; linear growth over-pulled on TMC)
    /// ```
    /// (Validation P@100 of SSB-VAE at 16 bits, all labels: 20 Newsgroups 0.66 → 0.84, Ohsumed
    /// 0.38 → 0.59, Snippets 0.87 → 0.94, TMC 0.83 → 0.85; the default at 10 % is unchanged.)
    public var pairWeight: Double {
        guard variant == .principled, let share = labelledShare else { return weights.alpha }
        let growth = share / Self.defaultsLabelledShare
        return weights.alpha * (multiLabel ? growth.squareRoot() : growth)
    }

    /// Whether codes are read through a `ClassAlignedReadout` after training: every model with a
    /// classifier (VDSH-S, PHS-GS, SSB-VAE) in the principled variant. Validation P@100, 16 bits,
    /// 10 % labels, logits alone → readout of the head → with the input classifier too: SSB-VAE
    /// TREC 0.529 → 0.552 → 0.622, 20 Newsgroups 0.569 → 0.632 → 0.663; PHS-GS TREC 0.383 → 0.482
    /// → 0.554; VDSH-S TREC 0.484 → 0.557 → 0.604 (docs/results/defaults.md, sections 6 and 7).
    public var readsClassesIntoCodes: Bool { variant == .principled && supervision != .none }

    /// Whether the latent's values may be read together with the input's principal components
    /// (`LatentInputReadout`), chosen after training, without labels, by how well each keeps the
    /// input's neighbourhoods: the principled variant of VDSH and B-VAE, whose codes are those
    /// values, and of the supervised models trained with fewer than
    /// `inputReadoutLabelledItemsPerClassLimit` labelled items a class (`labelledItems` in all),
    /// whose class-aligned readout reads them in place of ℓ.
    /// Why a count per class: the criterion sees no label, and the latent is shaped by the classes
    /// through the pairs of labelled items. Where a class has about a dozen of them (four small
    /// collections; Ohsumed at 10 % has as few) the choice took the components and gained 0.012
    /// P@100 on average; where it has 80 or more (TREC at 10 % to 30 %, Snippets at 30 %) it took
    /// them over a latent shaped by the classes and lost 0.005 to 0.026, and at full labels 0.045
    /// (TREC, 32 bits). The sixth corpus, at 42 a class, gained 0.010 at 16 bits (defaults.md,
    /// sections 19 and 21).
    public func readsInputIntoCodes(labelledItems: Int) -> Bool {
        guard variant == .principled else { return false }
        guard supervision != .none else { return true }
        return Double(labelledItems) < Self.inputReadoutLabelledItemsPerClassLimit * Double(max(classCount, 1))
    }

    /// The labelled items a class from which a supervised model's latent is read as trained.
    public static let inputReadoutLabelledItemsPerClassLimit = 60.0

    /// Checks values that come from users (flags, files).
    public func validate() throws {
        guard (1...1024).contains(bits) else {
            throw SemanticHashingError.invalidArgument(name: "bits", reason: "must be between 1 and 1024, got \(bits)")
        }
        guard inputDimensions > 0 else { throw SemanticHashingError.invalidArgument(name: "features", reason: "the data has no features") }
        if preset.usesLabels && classCount < 1 {
            throw SemanticHashingError.invalidArgument(name: "model", reason: "\(preset.rawValue) needs labelled data")
        }
        for (name, v) in [("alpha", weights.alpha), ("beta", weights.beta), ("gamma", weights.gamma)] where !(v.isFinite && v >= 0) {
            throw SemanticHashingError.invalidArgument(name: name, reason: "must be a finite number ≥ 0, got \(v)")
        }
        guard temperature > 0 else { throw SemanticHashingError.invalidArgument(name: "temperature", reason: "must be > 0") }
        guard bitBalance.isFinite && bitBalance >= 0 else {
            throw SemanticHashingError.invalidArgument(name: "bit balance", reason: "must be a finite number ≥ 0, got \(bitBalance)")
        }
        try baseline.validate()
    }
}
