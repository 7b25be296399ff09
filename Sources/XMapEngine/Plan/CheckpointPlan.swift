/// `--checkpoint` and `--resume`: where the scan's progress is written, what identifies the scan,
/// and the progress to continue from.
public struct CheckpointPlan: Sendable {
    /// The file written every second (nil: resume without writing a new checkpoint).
    public var path: String?
    /// The scan's parameters, as the checkpoint records them.
    public var parameters: [String: String]
    /// The checkpoint being resumed, if any.
    public var resume: Checkpoint?

    public init(path: String?, parameters: [String: String], resume: Checkpoint?) {
        self.path = path
        self.parameters = parameters
        self.resume = resume
    }
}
