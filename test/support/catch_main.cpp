// Catch2 v2's main(), compiled once and linked into every unit-test program.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
