/** Domain errors to paForNode faults (faultCode, official faultString), exhaustively. */
import { ErrorCode } from "../domain/errors.ts";

export interface PaaFault {
  faultCode: string;
  faultString: string;
}

const fault = (faultCode: string, faultString: string): PaaFault => ({ faultCode, faultString });

export const SYSTEM_ERROR = fault("PAA_SYSTEM_ERROR", "Errore generico");
const SEMANTICA = fault("PAA_SEMANTICA", "Errore semantico");
const SCONOSCIUTO = fault("PAA_PAGAMENTO_SCONOSCIUTO", "Pagamento in attesa risulta sconosciuto all’Ente Creditore");

export function paaFault(code: ErrorCode): PaaFault {
  switch (code) {
    case ErrorCode.schemaViolation:
      return fault("PAA_SINTASSI_XSD", "Errore di sintassi XSD");
    case ErrorCode.domainUnknown:
      return fault("PAA_ID_DOMINIO_ERRATO", "La PAA non corrisponde al Dominio indicato");
    case ErrorCode.brokerMismatch:
      return fault("PAA_ID_INTERMEDIARIO_ERRATO", "Identificativo intermediario non corrispondente");
    case ErrorCode.stationMismatch:
      return fault("PAA_STAZIONE_INT_ERRATA", "Stazione intermediario non corrispondente");
    case ErrorCode.noticeUnknown:
    case ErrorCode.optionNotFound:
    case ErrorCode.positionNotFound:
      return SCONOSCIUTO;
    case ErrorCode.noticePaid:
      return fault("PAA_PAGAMENTO_DUPLICATO", "Pagamento in attesa risulta concluso all’Ente Creditore");
    case ErrorCode.noticeInProgress:
    case ErrorCode.locked:
      return fault("PAA_PAGAMENTO_IN_CORSO", "Pagamento in attesa risulta in corso all’Ente Creditore");
    case ErrorCode.noticeCancelled:
      return fault("PAA_PAGAMENTO_ANNULLATO", "Pagamento in attesa risulta annullato all’Ente Creditore");
    case ErrorCode.noticeExpired:
      return fault("PAA_PAGAMENTO_SCADUTO", "Pagamento in attesa risulta scaduto all’Ente Creditore");
    case ErrorCode.receiptDuplicate:
      return fault("PAA_RECEIPT_DUPLICATA", "Receipt già ricevuta");
    case ErrorCode.semantic:
    case ErrorCode.ruleViolation:
    case ErrorCode.badRequest:
    case ErrorCode.duplicate:
    case ErrorCode.notEditable:
    case ErrorCode.invalidTransition:
    case ErrorCode.receiptNotFound:
    case ErrorCode.tooLarge:
    case ErrorCode.routeNotFound:
    case ErrorCode.notPayable:
    case ErrorCode.notFound:
      return SEMANTICA;
    case ErrorCode.unauthenticated:
    case ErrorCode.forbidden:
    case ErrorCode.unavailable:
    case ErrorCode.upstreamFailed:
    case ErrorCode.internal:
      return SYSTEM_ERROR;
  }
}
