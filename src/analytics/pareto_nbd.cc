// Placeholder until the model lands (see src/analytics/CMakeLists.txt).
