from django.dispatch import Signal

# Sent, inside the deletion's transaction, before an imported request is deleted
# (arguments: demande, actor). The candidatures app cancels the active candidature.
demande_deleting = Signal()

# Sent once per period of validity, inside a transaction, when a request is found
# expired (arguments: demande, valid_until). The candidatures app ends the candidatures
# not yet decided. Any app holding data on a request can connect the same way.
demande_expired = Signal()
