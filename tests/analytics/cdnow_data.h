// The CDNOW sample's calibration summary as Hardie published it
// (tests/data/cdnow_sample_cal_summary_hardie.csv: ID, x, t_x, T in weeks,
// zbar = mean repeat-transaction value), as columns for the model tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/paths.h"

namespace tenure::analytics::testing {

struct CdnowSummary {
  std::vector<double> x, t_x, T, zbar;
};

inline CdnowSummary ReadCdnowSummary() {
  CdnowSummary s;
  std::ifstream in(std::string(TENURE_TEST_DATA) + "/cdnow_sample_cal_summary_hardie.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string id, x, t_x, T, zbar;
    std::getline(row, id, ',');
    std::getline(row, x, ',');
    std::getline(row, t_x, ',');
    std::getline(row, T, ',');
    std::getline(row, zbar, ',');
    s.x.push_back(std::stod(x));
    s.t_x.push_back(std::stod(t_x));
    s.T.push_back(std::stod(T));
    s.zbar.push_back(std::stod(zbar));
  }
  return s;
}

}  // namespace tenure::analytics::testing
