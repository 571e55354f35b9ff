/**
 * Evidence held abroad, ordered directly from the provider: a CLOUD Act order under an executive
 * agreement (US–UK), or an EU production order (Regulation (EU) 2023/1543) with the enforcing state's
 * refusal window. A liaison records the answers; a refusal falls back to an MLAT request.
 */
import { HOME_LAW, INSTRUMENTS } from '../../policy';
import { AWAITING_APPROVAL } from '../../requests/machines';
import { shortRequestId } from '../../requests/runtime';
import { systems, type CaseContext } from '../context';
import { documentToSend, documentsForEveryRequest, sentWithDocument } from '../documents';
import type { Next } from '../record';
import { awaitAnswer, liveRequest, newRequestId } from '../requests';
import { fallBackToMlat, haveEvidence } from '../routes';

export async function cloudActOrder(ctx: CaseContext): Promise<Next> {
  const { state, rec, caseId } = ctx;
  const law = ctx.law.directOrder;
  const us = ctx.law === HOME_LAW.US;
  rec.enterStage(
    'CLOUD_ACT_ORDER',
    'provider',
    us
      ? `production by the provider in ${state.dataCountry} under a direct CLOUD Act order`
      : `production by the provider in ${state.dataCountry} under an ${law.name} (${law.citation})`,
  );
  let r = liveRequest(ctx, 'cloud-act-order');
  if (!r && documentsForEveryRequest()) {
    const requestId = newRequestId(ctx, 'cloud-act-order');
    rec.openRequest(
      requestId,
      'cloud-act-order',
      'liaison',
      us
        ? `order to ${state.tip.reporter.espName} in ${state.dataCountry} generated from the case`
        : `application for an ${law.name} to ${state.tip.reporter.espName} in ${state.dataCountry} generated from the case`,
      AWAITING_APPROVAL,
    );
    r = rec.request(requestId)!;
  }
  if (r?.status === AWAITING_APPROVAL) {
    const requestId = r.requestId;
    state.currentRequest = requestId;
    const order = await documentToSend(ctx, requestId, ctx.law.papers.directOrder);
    const nonDisclosure = law.nonDisclosure;
    const { orderId } = await ctx.step(shortRequestId(caseId, requestId), (c) =>
      systems.orders.issueCloudActOrder(c, {
        requestId,
        country: state.dataCountry!,
        provider: state.tip.reporter.espName,
        asOf: rec.now(),
        ...(nonDisclosure ? { nonDisclosure: nonDisclosure.source } : {}),
      }),
    );
    const secret = nonDisclosure ? `, with ${nonDisclosure.value} (${nonDisclosure.source})` : '';
    sentWithDocument(
      ctx,
      shortRequestId(caseId, requestId),
      requestId,
      us
        ? `order ${orderId} (${order.documentId} version ${order.version}, sha256 ${order.contentHash}) issued directly to ${state.tip.reporter.espName} in ${state.dataCountry}; a liaison records its answer`
        : `${law.name} ${orderId} made on the application (${order.documentId} version ${order.version}, sha256 ${order.contentHash}) and served on ${state.tip.reporter.espName} in ${state.dataCountry} (${law.citation})${secret}; a liaison records its answer`,
      orderId,
    );
  }
  if (!r) {
    const requestId = newRequestId(ctx, 'cloud-act-order');
    const { orderId } = await ctx.step(shortRequestId(caseId, requestId), (c) =>
      systems.orders.issueCloudActOrder(c, { requestId, country: state.dataCountry!, provider: state.tip.reporter.espName, asOf: rec.now() }),
    );
    rec.openRequest(
      requestId,
      'cloud-act-order',
      'provider',
      us
        ? `order ${orderId} issued directly to ${state.tip.reporter.espName} in ${state.dataCountry}; a liaison records its answer`
        : `${law.name} ${orderId} made by the court and served on ${state.tip.reporter.espName} in ${state.dataCountry} (${law.citation}); a liaison records its answer`,
    );
    rec.request(requestId)!.reference = orderId;
    r = rec.request(requestId)!;
  }
  state.currentRequest = r.requestId;
  // Where the law sets the period to produce (an overseas production order's seven days), it is a deadline, chased when it runs out.
  const production = law.production;
  if (production && rec.deadline('production') === undefined && !(state.followUps?.[r.requestId] ?? 0)) {
    rec.setDeadline('production', Date.parse(rec.now()) + ctx.ms(production.value), production.source);
  }
  const answered = await awaitAnswer(ctx, r.requestId, law.followUpEvery, undefined, production ? rec.deadline('production') : undefined);
  if (production) rec.clearDeadline('production');
  if (answered.status === 'PRODUCED') return haveEvidence(ctx, `produced under ${us ? 'CLOUD Act order' : law.name} ${answered.reference ?? ''}`.trim());
  return fallBackToMlat(
    ctx,
    `${us ? 'CLOUD Act order' : law.name} ${answered.requestId} ${answered.status.toLowerCase()}${answered.reason ? ` (${answered.reason})` : ''}`,
  );
}

export async function euProductionOrder(ctx: CaseContext): Promise<Next> {
  const { state, rec, caseId } = ctx;
  const rules = INSTRUMENTS.euProductionOrder;
  const emergency = state.priority === 1;
  const produce = emergency ? rules.emergencyProduction : rules.production;
  const refusal = emergency ? rules.emergencyRefusalWindow : rules.refusalWindow;
  rec.enterStage(
    'EU_PRODUCTION_ORDER',
    'provider',
    `production by the provider in ${state.dataCountry} under an EU production order${emergency ? ' (emergency)' : ''}`,
  );
  let r = liveRequest(ctx, 'eu-production-order');
  if (!r && documentsForEveryRequest()) {
    const requestId = newRequestId(ctx, 'eu-production-order');
    rec.openRequest(
      requestId,
      'eu-production-order',
      'liaison',
      `EU production order${emergency ? ' (emergency)' : ''} to ${state.tip.reporter.espName} in ${state.dataCountry}: its certificate generated from the case`,
      AWAITING_APPROVAL,
    );
    r = rec.request(requestId)!;
  }
  if (r?.status === AWAITING_APPROVAL) {
    const requestId = r.requestId;
    state.currentRequest = requestId;
    const certificate = await documentToSend(ctx, requestId, 'eu-production-order-certificate');
    const issuedAt = Date.now();
    const { orderId } = await ctx.step(shortRequestId(caseId, requestId), (c) =>
      systems.orders.issueEuProductionOrder(c, {
        requestId,
        country: state.dataCountry!,
        provider: state.tip.reporter.espName,
        emergency,
        produceWithinHours: ctx.ms(produce.value) / (ctx.ms({ days: 1 }) / 24),
        asOf: new Date(issuedAt).toISOString(),
      }),
    );
    sentWithDocument(
      ctx,
      shortRequestId(caseId, requestId),
      requestId,
      `EU production order ${orderId}${emergency ? ' (emergency)' : ''} (certificate ${certificate.documentId} version ${certificate.version}, sha256 ${certificate.contentHash}) issued to ${state.tip.reporter.espName} in ${state.dataCountry}`,
      orderId,
    );
    const short = shortRequestId(caseId, requestId);
    rec.setDeadline(`${short}:production`, issuedAt + ctx.ms(produce.value), produce.source, requestId);
    rec.setDeadline(`${short}:refusal-window`, issuedAt + ctx.ms(refusal.value), refusal.source, requestId);
  }
  if (!r) {
    const requestId = newRequestId(ctx, 'eu-production-order');
    const issuedAt = Date.now();
    const { orderId } = await ctx.step(shortRequestId(caseId, requestId), (c) =>
      systems.orders.issueEuProductionOrder(c, {
        requestId,
        country: state.dataCountry!,
        provider: state.tip.reporter.espName,
        emergency,
        produceWithinHours: ctx.ms(produce.value) / (ctx.ms({ days: 1 }) / 24),
        asOf: new Date(issuedAt).toISOString(),
      }),
    );
    rec.openRequest(
      requestId,
      'eu-production-order',
      'provider',
      `EU production order ${orderId}${emergency ? ' (emergency)' : ''} issued to ${state.tip.reporter.espName} in ${state.dataCountry}`,
    );
    rec.request(requestId)!.reference = orderId;
    const short = shortRequestId(caseId, requestId);
    rec.setDeadline(`${short}:production`, issuedAt + ctx.ms(produce.value), produce.source, requestId);
    rec.setDeadline(`${short}:refusal-window`, issuedAt + ctx.ms(refusal.value), refusal.source, requestId);
    r = rec.request(requestId)!;
  }
  state.currentRequest = r.requestId;
  const id = r.requestId;
  const short = shortRequestId(caseId, id);
  const status = () => rec.request(id)!.status;
  // Chase the provider from the production deadline on, at the policy's interval.
  await awaitAnswer(ctx, id, rules.followUpEvery, (st) => st !== 'SENT', rec.deadline(`${short}:production`));
  rec.clearDeadline(`${short}:production`);
  if (status() === 'PRODUCED') {
    // The enforcing state may still refuse within its window; after that the evidence is usable.
    await ctx.waitUntil(() => status() !== 'PRODUCED', rec.deadline(`${short}:refusal-window`));
    if (status() === 'PRODUCED') {
      rec.clearDeadline(`${short}:refusal-window`);
      ctx.answered(short, id, 'CONFIRMED', `no ground for refusal raised by ${state.dataCountry} within its window (${refusal.source})`);
      return haveEvidence(ctx, `produced under EU production order ${rec.request(id)!.reference ?? ''}`.trim());
    }
  }
  rec.clearDeadline(`${short}:refusal-window`);
  const answered = rec.request(id)!;
  return fallBackToMlat(ctx, `EU production order ${id} ${answered.status.toLowerCase()}${answered.reason ? ` (${answered.reason})` : ''}`);
}
