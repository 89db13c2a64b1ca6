// The grammar of every path parameter of the API, checked by the router before any route runs.
import { z } from 'zod';
import { calendarDate, entityId } from '../input/grammar.ts';
import type { ParamGrammar } from './router.ts';

/** The grammar of every path parameter: checked by the router before any route runs. */
export const PATH_PARAMS: ParamGrammar = {
  tenantId: entityId,
  productId: entityId,
  planDate: calendarDate,
  version: z.string().regex(/^[1-9]\d{0,2}$/, 'expected a plan version, a whole number from 1 to 999'),
  endpointId: z.string().regex(/^ep-[0-9a-f]{16}$/, 'expected a webhook endpoint id (ep- and 16 hex digits)'),
};
