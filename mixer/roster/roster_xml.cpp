// Writing the conference-info elements. Plain string appends: the document is small, flat and
// fully determined by the view, so an XML library would add a dependency and no safety (every
// value is escaped once in the view).
#include "mixer/roster/roster_xml.hpp"

#include <string_view>

namespace sidebar::mixer::roster {
namespace {

void element(std::string& out, const char* name, const std::string& escaped_text) {
    out += '<';
    out += name;
    out += '>';
    out += escaped_text;
    out += "</";
    out += name;
    out += '>';
}

void write_media(std::string& out, const UserView& user) {
    // One audio stream per endpoint, so a fixed id; the codec is the media's display-text.
    out += "<media id=\"1\">";
    if (!user.codec.empty()) element(out, "display-text", user.codec);
    out += "<type>audio</type>";
    element(out, "status", user.media_status);
    out += "</media>";
}

void write_joining(std::string& out, const UserView& user) {
    out += "<joining-method>dialed-in</joining-method>";
    if (!user.joined_at.empty()) {
        out += "<joining-info>";
        element(out, "when", user.joined_at);
        out += "</joining-info>";
    }
}

void write_speaking(std::string& out, const UserView& user) {
    out += user.speaking ? "<sb:speaking>true</sb:speaking>" : "<sb:speaking>false</sb:speaking>";
}

void user_open(std::string& out, const std::string& key, const char* state) {
    out += "<user entity=\"";
    out += key;
    out += "\" state=\"";
    out += state;
    out += "\">";
}

void endpoint_open(std::string& out, const UserView& user, const char* state) {
    out += "<endpoint entity=\"";
    out += user.endpoint;
    out += "\" state=\"";
    out += state;
    out += "\">";
}

}  // namespace

void write_root_open(std::string& out, const ConferenceView& view, const char* state,
                     unsigned long version) {
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" xmlns:sb=\"";
    out += kExtensionNs;
    out += "\" entity=\"";
    out += view.entity;
    out += "\" state=\"";
    out += state;
    out += "\" version=\"";
    out += std::to_string(version);
    out += "\">";
}

void write_root_close(std::string& out) {
    out += "</conference-info>\n";
}

void write_main_description(std::string& out, const ConferenceView& view) {
    out += "<conference-description>";
    element(out, "display-text", view.name);
    out += "<conf-uris><entry>";
    element(out, "uri", view.entity);
    out += "<purpose>participation</purpose></entry></conf-uris>";
    if (view.max_members != 0) element(out, "maximum-user-count", std::to_string(view.max_members));
    out += "</conference-description>";
}

void write_sidebar_description(std::string& out, const SidebarView& sidebar) {
    out += "<conference-description>";
    element(out, "subject", sidebar.subject);
    out += "</conference-description>";
}

void write_state(std::string& out, std::size_t user_count) {
    out += "<conference-state>";
    element(out, "user-count", std::to_string(user_count));
    out += user_count != 0 ? "<active>true</active>" : "<active>false</active>";
    out += "</conference-state>";
}

void write_user_full(std::string& out, const UserView& user, Scope scope) {
    user_open(out, user.key, "full");
    element(out, "display-text", user.display);
    endpoint_open(out, user, "full");
    element(out, "display-text", user.display);
    element(out, "status", endpoint_status(user, scope));
    write_joining(out, user);
    write_media(out, user);
    out += "</endpoint>";
    element(out, "sb:member-number", std::to_string(user.number));
    write_speaking(out, user);
    out += "</user>";
}

void write_user_deleted(std::string& out, const std::string& key) {
    out += "<user entity=\"";
    out += key;
    out += "\" state=\"deleted\"/>";
}

bool write_user_partial(std::string& out, const UserView& before, const UserView& after,
                        Scope scope) {
    const bool display = before.display != after.display;
    const char* status = endpoint_status(after, scope);
    const bool status_changed = endpoint_status(before, scope) != std::string_view(status);
    const bool joined = before.joined_at != after.joined_at;
    const bool media = before.media_status != after.media_status || before.codec != after.codec;
    const bool speaking = before.speaking != after.speaking;
    if (!display && !status_changed && !joined && !media && !speaking) return false;

    user_open(out, after.key, "partial");
    if (display) element(out, "display-text", after.display);
    if (display || status_changed || joined || media) {
        endpoint_open(out, after, "partial");
        if (display) element(out, "display-text", after.display);
        if (status_changed) element(out, "status", status);
        if (joined) write_joining(out, after);
        if (media) write_media(out, after);  // keyed by id: replaces the old media element
        out += "</endpoint>";
    }
    if (speaking) write_speaking(out, after);
    out += "</user>";
    return true;
}

void write_users_full(std::string& out, const UserList& users, Scope scope) {
    out += "<users>";
    for (const UserView* u : users)
        write_user_full(out, *u, scope);
    out += "</users>";
}

void write_sidebar_full(std::string& out, const SidebarView& sidebar) {
    out += "<entry entity=\"";
    out += sidebar.entity;
    out += "\" state=\"full\">";
    write_sidebar_description(out, sidebar);
    write_state(out, sidebar.users.size());
    write_users_full(out, sidebar.users, Scope::sidebar);
    out += "</entry>";
}

UserList all_users(const ConferenceView& view) {
    UserList users;
    users.reserve(view.users.size());
    for (const UserView& u : view.users)
        users.push_back(&u);
    return users;
}

}  // namespace sidebar::mixer::roster
