from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


notice_list = notice_open = notice_detail = notice_reply = notice_return = notice_accept = _todo
notice_print = notice_docx = _todo
