/// The settings of the classical baselines (`LSHBaseline`, `ITQBaseline`, `SSHBaseline`,
/// `LabelITQBaseline`), one struct for all four; each model reads the fields it uses.
///
/// Defaults, and why:
/// - `itqIterations` = 50: the count Gong & Lazebnik use; the quantisation loss has flattened
///   long before (it changes by < 0.1 % per step after ~20 steps on text data).
/// - `sshEta` = 0.1: the weight of the unsupervised variance term against the supervised pair
///   term in SSH's M = (1/l²)·X̄_lᵀ·S·X̄_l + η·(1/n)·X̄ᵀX̄. Both terms are averages (over pairs, over
///   items), so η does not depend on the number of labelled items; with balanced classes the
///   pair term is about (2/C)·(between-class covariance), a small part of the total covariance on
///   text, so η must be well below 1 for the labels to steer the directions. Measured with 10 %
///   labels (queries from the validation split, never the test split) on Snippets, Ohsumed, TREC,
///   20 Newsgroups and TMC at 16 and 32 bits, P@100 moves by less than 0.03 for η in [0.01, 1]
///   except on 20 Newsgroups at 16 bits (0.47 at 0.01, 0.44 at 0.1, 0.33 at 1); 0.1 is never far
///   from the best.
/// - `classifierL2` = 1e-4: λ in the mean logistic loss + (λ/2)‖W‖²; for 1 000 labelled items this
///   is scikit-learn's C = 10 (λ = 1 / (C·l)). In the same measurement 1e-5 and 1e-4 were within
///   0.01 of each other except TMC (1e-4 better by 0.03) and 20 Newsgroups at 32 bits (1e-5 better
///   by 0.03); 1e-3 and above lose up to 0.14 on Snippets.
/// - `classifierIterations` = 300, `classifierTolerance` = 1e-5: L-BFGS stops when the largest
///   gradient entry of the mean loss is below 1e-5 (well past where the probabilities change
///   in their third digit), or at 300 iterations, whichever is first.
/// - `paddingScale` = 0.5: when there are fewer probability directions than bits, label-ITQ pads
///   with principal directions of the input, scaled so their mean variance is `paddingScale`²
///   times that of the probability directions, before the joint ITQ rotation. At 1 the input
///   directions take bits from the class structure (Snippets 0.72 against 0.79 at 0.5); at 0
///   they carry nothing (TREC 0.37 against 0.39, Ohsumed 32 bits 0.26 against 0.29); 0.25–0.5
///   was best overall.
///
/// ```swift
/// var settings = BaselineSettings()
/// settings.sshEta = 0.3
/// ```
public struct BaselineSettings: Codable, Sendable, Equatable {
    public var itqIterations: Int
    public var sshEta: Double
    public var classifierL2: Double
    public var classifierIterations: Int
    public var classifierTolerance: Double
    public var paddingScale: Double

    public init(itqIterations: Int = 50, sshEta: Double = 0.1, classifierL2: Double = 1e-4,
                classifierIterations: Int = 300, classifierTolerance: Double = 1e-5, paddingScale: Double = 0.5) {
        self.itqIterations = itqIterations
        self.sshEta = sshEta
        self.classifierL2 = classifierL2
        self.classifierIterations = classifierIterations
        self.classifierTolerance = classifierTolerance
        self.paddingScale = paddingScale
    }

    /// Throws naming the first field outside its valid range.
    public func validate() throws {
        func fail(_ name: String, _ reason: String) -> SemanticHashingError { .invalidArgument(name: name, reason: reason) }
        guard itqIterations >= 0 else { throw fail("itqIterations", "\(itqIterations) is negative") }
        guard sshEta.isFinite && sshEta >= 0 else { throw fail("sshEta", "\(sshEta) is not a finite number ≥ 0") }
        guard classifierL2.isFinite && classifierL2 >= 0 else { throw fail("classifierL2", "\(classifierL2) is not a finite number ≥ 0") }
        guard classifierIterations >= 1 else { throw fail("classifierIterations", "\(classifierIterations) is not ≥ 1") }
        guard classifierTolerance.isFinite && classifierTolerance > 0 else { throw fail("classifierTolerance", "\(classifierTolerance) is not a positive number") }
        guard paddingScale.isFinite && paddingScale >= 0 else { throw fail("paddingScale", "\(paddingScale) is not a finite number ≥ 0") }
    }
}
