#include "captable.h"
#include "captable_gen.h"

const int captable_last = CAPTABLE_LAST;
