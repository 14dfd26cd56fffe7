// Where the tests find tests/data (TENURE_TEST_DATA) and the `tenure`
// binary under test (TENURE_BINARY). Both are defined in one file that
// tests/CMakeLists.txt generates in the build tree (test_paths.cc, library
// tenure_test_paths), so that no other test's compilation names the
// checkout's folder: ccache then hits from another clone of the sources.
#pragma once

namespace tenure::testing {

// The absolute path of tests/data in the sources.
const char* TestDataDir();
// The absolute path of the `tenure` binary of this build.
const char* TenureBinary();

}  // namespace tenure::testing

#define TENURE_TEST_DATA (::tenure::testing::TestDataDir())
#define TENURE_BINARY (::tenure::testing::TenureBinary())
