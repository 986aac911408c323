// Catch2 as Debian ships it: v2 (one header) on Debian 12, v3 on Debian 13
// and later. The tests use only what both versions share.
#pragma once

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
