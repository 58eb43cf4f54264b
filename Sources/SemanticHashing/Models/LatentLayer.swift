/// The latent part of a VAE: from the trunk's hidden layer h to the code, with the prior's KL term.
///
/// ```
/// training:  b̃ = sample(h)                 a relaxed (Bernoulli) or reparameterised (Gaussian) code
/// backward:  ∂h += ∂(β·KL + downstream)/∂h,  given ∂downstream/∂b̃
/// inference: v = codeValues(h),  bit j = [v_j > 0]
/// ```
///
/// ```swift
/// let latent: any LatentLayer = BernoulliLatent(hiddenDimensions: 500, bits: 16, temperature: 0.67, random: &rng)
/// let code = latent.sample(h, random: &noise)
/// let kl = latent.backward(sampleGradient: dCode, klWeight: beta, into: &dHidden)
/// ```
public protocol LatentLayer: AnyObject, Sendable {
    var parameters: [Parameter] { get }
    /// The deterministic code values (logits or means) of each row of h.
    func codeValues(_ hidden: Matrix) -> Matrix
    /// The training sample of each row of h; remembers what `backward` needs.
    func sample(_ hidden: Matrix, random: inout RandomSource) -> Matrix
    /// Adds ∂(klWeight·KL + downstream)/∂h of the last sample to `hiddenGradient` and accumulates
    /// the parameters' gradients; returns KL (unweighted, batch mean).
    func backward(sampleGradient: Matrix, klWeight: Float, into hiddenGradient: inout Matrix) -> Float
}
