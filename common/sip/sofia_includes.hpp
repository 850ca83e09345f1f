// sofia-sip's headers in the order they must come, with the magic types our code binds: the
// root's and nua's magic is the Stack's Impl, a handle's magic is its HandleRecord.
#pragma once

namespace sidebar::sip {
struct StackImplTag;
struct HandleRecord;
}  // namespace sidebar::sip

#define SU_ROOT_MAGIC_T struct sidebar::sip::StackImplTag
#define NUA_MAGIC_T struct sidebar::sip::StackImplTag
#define NUA_HMAGIC_T struct sidebar::sip::HandleRecord
#define SU_MSG_ARG_T struct sidebar::sip::PostedWork

namespace sidebar::sip {
struct PostedWork;
}

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/url.h>
