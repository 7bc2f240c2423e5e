import Testing

/// The end-to-end suites that start real processes, import the Beijing data set or load the
/// machine: one at a time, so that none of them times a daemon or a kill against the others'
/// load (Swift Testing otherwise runs suites in parallel). The quick command-line suites stay
/// outside and run alongside.
@Suite(.serialized) enum EndToEnd {}
