// Prints the core's rule table, one rule per line, tab-separated:
// id, severity, group, forward (yes/no), RFC reference, summary, example.
// scripts/make-reference.py turns it into docs/REFERENCE.md, so the docs
// are the table itself and cannot drift from it.
#include <cstdio>

#include "rules.h"

namespace {

const char* severity_name(sipresp::Severity s) {
    switch (s) {
    case sipresp::Severity::error: return "Error";
    case sipresp::Severity::warning: return "Warning";
    case sipresp::Severity::note: return "Note";
    }
    return "?";
}

void print(std::string_view v) { std::fwrite(v.data(), 1, v.size(), stdout); }

}  // namespace

int main() {
    for (const sipresp::Rule& r : sipresp::all_rules()) {
        print(r.name);
        std::printf("\t%s\t%s\t%s\t", severity_name(r.severity),
                    r.group == sipresp::RuleGroup::sequence ? "Sequence" : "Protocol", r.forward ? "yes" : "no");
        print(r.reference);
        std::fputc('\t', stdout);
        print(r.summary);
        std::fputc('\t', stdout);
        print(r.example);
        std::fputc('\n', stdout);
    }
    return 0;
}
