// RFC 4475 torture messages: filled in below.
#include <catch2/catch.hpp>
