/// A loss value with the gradient of that value with respect to the loss's input.
public struct LossValue: Sendable {
    public var value: Float
    public var gradient: Matrix
}
