// Builds the precompiled header the tests share.
