// Cleaning and escaping of outside text before it enters a conference-info document.
#include <catch2/catch.hpp>
#include <string>

#include "mixer/roster/xml_text.hpp"

using namespace sidebar::mixer;

TEST_CASE("escaping covers the five XML specials and tab/newline", "[roster][xml]") {
    std::string out;
    append_xml_escaped(out, "a&b<c>d\"e'f\tg\nh");
    CHECK(out == "a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g&#10;h");
    CHECK(xml_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
}

TEST_CASE("control characters other than tab and newline are removed", "[roster][xml]") {
    const std::string raw =
        std::string("a\x01") + '\0' + "b\rc\x1b[31md\x7f\te\n" + "\xc2\x85" + "f";
    CHECK(clean_xml_text(raw) == "abc[31md\te\nf");
}

TEST_CASE("malformed UTF-8 is dropped, valid multi-byte text kept", "[roster][xml]") {
    CHECK(clean_xml_text("J\xc3\xbcrgen \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x98\x80") ==
          "J\xc3\xbcrgen \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x98\x80");
    CHECK(clean_xml_text("a\xff"
                         "b") == "ab");                   // never valid
    CHECK(clean_xml_text("a\xc0\xafz") == "az");          // overlong '/'
    CHECK(clean_xml_text("a\xed\xa0\x80z") == "az");      // surrogate
    CHECK(clean_xml_text("a\xf4\x90\x80\x80z") == "az");  // above U+10FFFF
    CHECK(clean_xml_text("a\xe6\x9d") == "a");            // truncated sequence at the end
    CHECK(clean_xml_text("a\xef\xbf\xbfz") == "az");      // U+FFFF is not an XML Char
}

TEST_CASE("long text is cut at a character boundary within the limit", "[roster][xml]") {
    const std::string big(10 * 1024, 'x');
    CHECK(clean_xml_text(big).size() == kMaxXmlTextBytes);
    std::string euro;
    for (int i = 0; i < 200; ++i)
        euro += "\xe2\x82\xac";  // 3 bytes each
    const std::string cut = clean_xml_text(euro);
    CHECK(cut.size() == 255);  // 85 whole characters; the 86th would pass 256
    CHECK(clean_xml_text(cut) == cut);
    // Escaping happens after the cut, so an escaped value may be longer but is never split.
    const std::string amps(1000, '&');
    CHECK(xml_text(amps).size() == kMaxXmlTextBytes * 5);
}
