// Writes the CSV files the import benchmark loads: CUSTOMERS.csv with N
// customers and ORDERS.csv with M orders (order_id, customer_id, date, amount,
// quantity, cost), deterministic for a seed. Order ids ascend with the row
// ("O000000001", as an ERP export sorted by date has them), or with
// --random-ids are 16 random hex digits (as UUID-like keys are).
//   make_orders N M SEED CUSTOMERS.csv ORDERS.csv [--random-ids]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "common/time.h"

int main(int argc, char** argv) {
  bool random_ids = argc == 7 && std::string(argv[6]) == "--random-ids";
  if (argc != 6 && !random_ids) {
    std::fprintf(stderr,
                 "usage: make_orders CUSTOMERS ORDERS SEED CUSTOMERS.csv ORDERS.csv "
                 "[--random-ids]\n");
    return 2;
  }
  long customers = std::atol(argv[1]);
  long orders = std::atol(argv[2]);
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
  std::FILE* c = std::fopen(argv[4], "w");
  std::FILE* o = std::fopen(argv[5], "w");
  if (!c || !o || customers <= 0 || orders < 0) {
    std::fprintf(stderr, "make_orders: bad arguments or cannot write\n");
    return 1;
  }
  std::fprintf(c, "customer_id,name,city\n");
  const char* cities[] = {"Lyon", "Nice", "Lille", "Nantes", "Brest", "Metz"};
  for (long i = 1; i <= customers; ++i) {
    std::fprintf(c, "C%07ld,Customer %ld,%s\n", i, i, cities[i % 6]);
  }
  std::fprintf(o, "order_id,customer_id,date,amount,quantity,cost\n");
  std::uniform_int_distribution<long> who(1, customers);
  std::uniform_int_distribution<int> qty(1, 9);
  std::lognormal_distribution<double> price(3.5, 0.8);
  tenure::Date start = tenure::MakeDate(2020, 1, 1);
  char date[11] = {};
  for (long i = 1; i <= orders; ++i) {
    // Dates advance with the order number, as in an ERP export.
    tenure::FormatDateTo(tenure::Date{start.days + static_cast<int32_t>(i * 1460 / (orders + 1))},
                         date);
    long cents = static_cast<long>(price(rng) * 100);
    char id[24];
    if (random_ids) {
      // A bijective mix of i (splitmix64's finaliser), so ids never repeat.
      uint64_t z = static_cast<uint64_t>(i) + 0x9e3779b97f4a7c15ull;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      z ^= z >> 31;
      std::snprintf(id, sizeof id, "O%016llx", static_cast<unsigned long long>(z));
    } else {
      std::snprintf(id, sizeof id, "O%09ld", i);
    }
    std::fprintf(o, "%s,C%07ld,%s,%ld.%02ld,%d,%ld.%02ld\n", id, who(rng), date, cents / 100,
                 cents % 100, qty(rng), cents * 7 / 1000, cents * 7 / 10 % 100);
  }
  bool ok = std::fclose(c) == 0 && std::fclose(o) == 0;
  return ok ? 0 : 1;
}
