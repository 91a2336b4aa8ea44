//! Safety (issue 12): see the tests below.
