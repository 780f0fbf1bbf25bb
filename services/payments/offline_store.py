"""Payments' copy of the offline payments staff record in the invoices service (InvoicePaymentRecorded
kind `offline`), kept as this service's own payment items so a customer's history lists them:

  PAYMENT#<id>    PAYMENT   a succeeded payment of provider `offline` (logic/offline.py), written once
"""

from __future__ import annotations

from pynamodb.exceptions import PutError

from services.payments.logic.domain import Payment
from services.payments.store import PaymentRecord
from services.payments.store import _payment_record as payment_record  # the item as store.py writes it
from shared.dynamo import condition_failed


def project_offline_payment(payment: Payment) -> bool:
    """Written once (conditional put): False when a redelivered event finds it there."""
    try:
        payment_record(payment).save(condition=PaymentRecord.pk.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True
